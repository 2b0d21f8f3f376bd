"""The three-way merge decisions, without servers."""

import pytest

from qbsync_desktop.sync.plan import Action, Base, decide

BASE = Base("s0", "t1")


def d(src="s1", deleted=False, desired="t2", target="t1", base=BASE, matched=False):
    return decide(
        source_fingerprint=src,
        source_deleted=deleted,
        desired_fingerprint=desired,
        target_fingerprint=target,
        base=base,
        matched=matched,
    )


def test_new_record_is_created():
    assert d(target=None, base=None).action is Action.CREATE


def test_source_change_with_untouched_target_updates():
    assert d().action is Action.UPDATE


def test_change_on_both_sides_is_a_conflict_never_an_overwrite():
    decision = d(target="t-edited")
    assert decision.action is Action.CONFLICT


def test_target_only_edit_is_kept_in_one_way_sync():
    assert d(src="s0", target="t-edited").action is Action.NOTHING


def test_both_sides_already_agree_refreshes_the_base_instead_of_conflicting():
    decision = d(desired="same", target="same")
    assert decision.action is Action.NOTHING
    assert decision.refresh_base


def test_R13_matched_by_name_links_and_refreshes_when_identical():
    decision = d(base=None, desired="x", target="x", matched=True)
    assert decision.action is Action.LINK and decision.refresh_base


def test_R13_matched_by_name_but_different_is_linked_then_updated():
    decision = d(base=None, desired="x", target="y", matched=True)
    assert decision.action is Action.LINK and not decision.refresh_base


def test_deleted_at_source_is_never_propagated_silently():
    assert d(deleted=True).action is Action.SOURCE_DELETED


def test_deleted_before_first_sync_is_ignored():
    assert d(deleted=True, base=None, target=None).action is Action.NOTHING


def test_linked_but_gone_at_target_is_reported():
    assert d(target=None).action is Action.TARGET_MISSING


@pytest.mark.parametrize("src", ["s0", "s1"])
def test_unchanged_target_and_source_never_writes(src):
    decision = d(src=src, desired="t1", target="t1")
    assert decision.action is Action.NOTHING
