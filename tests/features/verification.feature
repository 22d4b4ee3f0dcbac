Feature: Retailers and buyers verify labels online
  Anyone holding a labelled item asks the registry whether its label is genuine and what it
  certifies: a buyer's phone, a retailer's system, a receiving clerk with a pallet. The
  answer is one verdict with its reasons, never an error, whatever was scanned.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets
    And the inspector issued 400 labels for the cooperative's carpets

  Scenario: A buyer scans an authentic carpet label and learns who made it
    When a buyer's phone asks for the verdict of one of the carpet labels
    Then the verdict is "AUTHENTIC" with no reasons
    And the verdict names the cooperative in Latin and Arabic script
    And the verdict shows no personal data of the cooperative

  Scenario: A label whose serial was altered is invalid
    When a buyer's phone asks for the verdict of a carpet label whose serial was altered
    Then the verdict is "INVALID" because of "signature_invalid"

  Scenario: A suspended certificate gives a suspended verdict with the reason
    Given the chambre suspended the cooperative's certificate for "surveillance_nonconformity"
    When a buyer's phone asks for the verdict of one of the carpet labels
    Then the verdict is "SUSPENDED" because of "certificate_suspended"
    And the verdict gives "surveillance_nonconformity" as the certificate's status reason

  Scenario: A receiving clerk checks a pallet of 400 carpets in one call
    When a receiving clerk sends the 400 scanned labels of the pallet in one bulk request
    Then the clerk gets 400 verdicts, in the order of the scans, all "AUTHENTIC"

  Scenario: A misread scan on the pallet does not fail the pallet
    When a receiving clerk sends the 400 scanned labels of the pallet with one misread in the middle
    Then the clerk gets 401 verdicts, in the order of the scans
    And the misread scan's verdict is "INVALID" because of "uri_malformed"

  Scenario: A buyer's retailer system gets a GS1 linkset pointing at the certificate
    When the retailer's system asks the label URL for a GS1 linkset
    Then the linkset's certification link leads to the cooperative's public certificate page
    And the linkset's product information link leads to the label's verification page
