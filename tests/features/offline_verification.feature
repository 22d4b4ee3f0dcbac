Feature: Verifying a label offline
  A customs officer at the border, a buyer at a trade fair without signal: they check a
  label with the registry's signed data synced earlier, and the verifier says plainly when
  that data is too old to be sure.

  Background:
    Given a Safi potter certified Madmoun for its culinary tajines
    And the registry issued a label for one of its tajines

  Scenario: A customs officer without signal checks a tajine's label and gets AUTHENTIC
    Given the customs officer synced the registry's data this morning
    When the officer checks the tajine's label without signal
    Then the verdict is "AUTHENTIC"
    And the officer reads the potter's name in Latin and in Arabic script

  Scenario: An offline verifier with a week-old snapshot warns that its data is stale
    Given the customs officer synced the registry's data 7 days ago
    When the officer checks the tajine's label without signal
    Then the verdict is "AUTHENTIC_WITH_WARNINGS"
    And the officer is warned that the status data is 7 days old

  Scenario: A snapshot with a bad signature is rejected
    When the officer syncs from a network that alters the registry's label snapshot
    Then the sync is refused because the "signature does not verify"
    And nothing is stored on the officer's device

  Scenario: A revoked label shows REVOKED offline after sync
    Given the customs officer synced the registry's data this morning
    And the tajine's label is then revoked because it was stolen from the workshop
    When the officer syncs again
    And the officer checks the tajine's label without signal
    Then the verdict is "REVOKED" with the reason "lost_or_stolen"

  Scenario: A label issued after the officer's sync is never AUTHENTIC offline
    Given the customs officer synced the registry's data just now
    And the registry then issued another label for one of its tajines
    When the officer checks the new label without signal
    Then the verdict is "UNKNOWN" because the data cannot know the label
