"""The whole demo as a plan: every value, decided from the seed alone, before any write.

:class:`DemoPlan` yields the main zone first and the second zone after it (the second
zone needs the main zone's talents to give some of them a second record). Nothing
here touches the database, so tests can re-plan a run and compare it with what was
written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from talentpark.demo.enterprises import EnterprisePlanner
from talentpark.demo.identity import IdentityPool
from talentpark.demo.listings import ListingPlanner
from talentpark.demo.people import TalentFactory
from talentpark.demo.policy_texts import plan_policies
from talentpark.demo.scales import TINY, ZoneCounts
from talentpark.demo.specs import Numbering, PersonSpec, PlatformSpec, PolicySpec, ProjectSpec, TalentBundle
from talentpark.demo.staff import ZoneStaff, plan_staff
from talentpark.demo.zones import CHANGZHI, JINING, ZoneProfile


@dataclass
class ZonePlan:
    """One zone's plan. Iterate ``talents`` before asking for projects and lecturers."""

    profile: ZoneProfile
    counts: ZoneCounts
    main: bool
    seed: int
    staff: ZoneStaff
    enterprises: EnterprisePlanner
    talents: TalentFactory
    listings: ListingPlanner

    def platforms(self) -> list[PlatformSpec]:
        return self.enterprises.platforms(self.counts.platforms, self.seed)

    def policies(self) -> list[PolicySpec]:
        office = self.staff.accounts[0]  # <prefix>_office, the zone's talent office
        return plan_policies(self.profile, author_no=office.no)[: self.counts.policies]

    def projects(self) -> list[ProjectSpec]:
        return self.enterprises.projects(self.counts.projects, self.seed, self.talents.seniors)


class DemoPlan:
    """Plans the main zone at ``counts`` and the second zone at tiny scale."""

    def __init__(self, counts: ZoneCounts, seed: int) -> None:
        self.counts, self.seed = counts, seed
        self.numbering = Numbering()
        self.identities = IdentityPool(seed)

    def zones(self) -> Iterator[ZonePlan]:
        main = self._zone(JINING, self.counts, main=True, movers=None, zone_index=0)
        yield main
        yield self._zone(CHANGZHI, TINY, main=False, movers=main.talents.movers, zone_index=1)

    def _zone(
        self,
        profile: ZoneProfile,
        counts: ZoneCounts,
        *,
        main: bool,
        movers: list[TalentBundle] | None,
        zone_index: int,
    ) -> ZonePlan:
        staff = plan_staff(
            profile,
            seed=self.seed,
            numbering=self.numbering,
            specialists=counts.specialists,
            teams=3 if main else 2,
            main=main,
        )
        enterprises = EnterprisePlanner(
            profile,
            seed=self.seed,
            count=counts.enterprises,
            hr_accounts=min(counts.hr_accounts, counts.enterprises),
            numbering=self.numbering,
            identities=self.identities,
            specialists=staff.specialists,
        )
        talents = TalentFactory(
            profile,
            counts,
            seed=self.seed,
            numbering=self.numbering,
            identities=self.identities,
            enterprises=enterprises.enterprises,
            specialists=staff.specialists,
            main=main,
            incoming_movers=movers,
        )
        listings = ListingPlanner(
            profile,
            seed=self.seed,
            enterprises=enterprises.enterprises,
            identities=self.identities,
            phone_offset=zone_index * 5_000_000,
        )
        return ZonePlan(profile, counts, main, self.seed, staff, enterprises, talents, listings)


def planned_people(counts: ZoneCounts, seed: int) -> Iterator[tuple[str, PersonSpec]]:
    """(zone code, person) for every person the run creates, without touching the database."""
    for zone in DemoPlan(counts, seed).zones():
        for bundle in zone.talents:
            if bundle.person is not None:
                yield zone.profile.code, bundle.person
