Feature: An inspector records an audit without signal
  Nadia inspects potteries for the Marrakech-Safi chambre. In the villages of the Atlas her
  phone often has no signal: it keeps the audit she saved and sends it when the signal
  returns. Sometimes the registry records the audit but its answer never reaches the phone;
  the phone then sends the same audit again, under the same id it gave the audit. The
  registry must record it once, and answer the second time as it did the first. What the
  registry refuses meanwhile is said to her, and nothing is recorded.

  Background:
    Given Nadia, an inspector of the Marrakech-Safi chambre authorised for Madmoun, is signed in
    And a potter of her chambre with a tajine line
    And her phone kept the "MADMOUN" audit form of the potter

  Scenario: The answer is lost, the phone sends the audit again, and it is recorded once
    When her phone sends the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    And the answer is lost, and her phone sends the same audit again
    Then only one audit of the potter is on record
    And both answers lead to the same audit page

  Scenario: Two audits saved from the same kept form are two audits
    When her phone sends the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    And her phone sends another audit from the same kept form, under a new id
    Then two audits of the potter are on record

  Scenario: Her session ended while she was in the workshop
    Given her session ended while she was away
    When her phone sends the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    Then she is asked to sign in again
    And no audit of the potter is on record

  Scenario: Back at the office she signs in again, and the kept audit goes with the new session
    Given her session ended while she was away
    When she signs in again
    And her phone sends the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    Then only one audit of the potter is on record

  Scenario: Her authorisation was withdrawn while she was offline
    When the chambre's administrator withdraws her Madmoun authorisation
    And her phone sends the audit with "0,05" of lead, "0,01" of cadmium and a food contact declaration
    Then the registry's answer says she is not or no longer authorised for this label
    And no audit of the potter is on record
