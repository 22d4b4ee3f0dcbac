Feature: Anyone can check that the registry never rewrites history or misuses its keys
  Every registry event is written to a public, append-only log whose checkpoints the
  registry signs with its root key, which verifiers pin once. Label keys rotate and can be
  declared compromised without breaking the labels they signed honestly.

  Background:
    Given a running registry with development keys

  Scenario: A monitor detects a registry that rewrote history
    Given the registry has recorded 10 events
    And an independent monitor has checked the registry's log and trusts it
    When a rogue administrator rewrites the registry's history and signs it again
    And the monitor checks the registry again
    Then the monitor raises a "fork" alarm
    And the monitor still trusts the checkpoint it had verified

  Scenario: A label signed before a key's rotation still verifies after it
    Given an inspector issued a label for a Taznakht carpet with the current key
    When the registry rotates its label key
    And a buyer at a department store downloads the trust list
    Then the inspector's label is authentic
    And a label signed with the retired key after the rotation is refused as "key_retired"

  Scenario: A signature made after a key's compromise time is rejected
    Given an inspector issued a label for a Taznakht carpet with the current key
    And a thief stole the key and signed a label of his own
    When the registry declares the key compromised since the theft
    And a customs officer downloads the trust list
    Then the thief's label is refused as "key_compromised"
    And the inspector's label, dated by the log before the theft, is authentic

  Scenario: A suspension of a certificate appears in the log with its reason code but no personal data
    Given the Taznakht weaving cooperative holds an active certificate
    When the chambre's admin suspends it for "surveillance_nonconformity" with a note naming the artisan
    Then the public log holds a "certificate.suspended" entry with reason code "surveillance_nonconformity"
    And no entry of the public log contains the artisan's personal data or the admin's note
