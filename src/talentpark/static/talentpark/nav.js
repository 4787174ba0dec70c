/* Staff menus (<details class="navgroup">): one open at a time; a click elsewhere or Esc closes it. */
(function () {
  function closeAll(except) {
    document.querySelectorAll("details.navgroup[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (e) {
    var group = e.target.closest ? e.target.closest("details.navgroup") : null;
    closeAll(group);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") closeAll(null);
  });
})();
