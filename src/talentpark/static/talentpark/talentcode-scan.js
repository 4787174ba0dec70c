/* 人才码 scan page: read the QR with the phone camera (vendored jsQR), put the text in the form
   and submit it. Without a camera (or on plain http) the button stays hidden: type the short code. */
(function () {
  var button = document.getElementById("tc-camera");
  if (!button || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.isSecureContext) return;
  var video = document.getElementById("tc-video");
  var canvas = document.getElementById("tc-canvas");
  var input = document.getElementById("tc-code");
  var status = document.getElementById("tc-camera-status");
  var form = document.getElementById("tc-scan-form");
  var stream = null;
  button.hidden = false;

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
  }

  function tick() {
    if (!stream) return;
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data.indexOf("TP1:") === 0) {
        input.value = found.data;
        status.textContent = "已识别，正在核验…";
        stop();
        form.submit();
        return;
      }
    }
    window.requestAnimationFrame(tick);
  }

  button.addEventListener("click", function () {
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        video.play();
        status.textContent = "请将人才码对准摄像头";
        window.requestAnimationFrame(tick);
      })
      .catch(function () {
        status.textContent = "无法打开摄像头，请输入数字码";
      });
  });
})();
