"""The soak's duplicate-claim check finds what it is there to find."""

from bench.soak.people import Recorder, duplicate_claims


def test_holds_of_one_item_by_two_reviewers_that_overlap_are_a_duplicate():
    recorder = Recorder()
    recorder.holds[7] = [("rita", 10.0, 12.0), ("rené", 11.5, 13.0)]
    recorder.holds[8] = [("rita", 20.0, 21.0), ("rené", 21.5, 23.0)]  # one after the other
    recorder.holds[9] = [("rita", 30.0, 31.0), ("rita", 30.5, 32.0)]  # the same reviewer
    assert duplicate_claims(recorder) == [7]


def test_an_item_approved_by_two_reviewers_is_a_duplicate():
    recorder = Recorder()
    recorder.holds[4] = [("rita", 1.0, 2.0), ("rené", 3.0, 4.0)]
    recorder.approved_by[4] = {"rita", "rené"}
    recorder.approved_by[5] = {"rita"}
    assert duplicate_claims(recorder) == [4]
