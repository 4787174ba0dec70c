"""What 招才引智 declares to the kernel (imported by ``RecruitmentConfig.ready``)."""

from __future__ import annotations

from talentpark.core import zone_versions

# An application's history and interviews show on homes (her invitations waiting, the pipeline's
# counts): a change moves the application's zone.
zone_versions.register("recruitment.ApplicationEvent", zone_of=lambda event: event.application.zone_id)
zone_versions.register("recruitment.Interview", zone_of=lambda interview: interview.application.zone_id)
zone_versions.register("recruitment.InterviewSlot", zone_of=lambda slot: slot.interview.application.zone_id)
zone_versions.register("recruitment.FairBooth", zone_of=lambda booth: booth.fair.zone_id)
zone_versions.register("recruitment.FairVisitor", zone_of=lambda visitor: visitor.fair.zone_id)
zone_versions.register("recruitment.FairIntention", zone_of=lambda intention: intention.booth.fair.zone_id)
