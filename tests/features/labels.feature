Feature: Issuing and managing signed labels
  Inspectors issue signed labels under a certificate, one per handmade item; the registry
  never issues a label twice or under a certificate that is not in force.

  Background:
    Given a weaving cooperative in Taznakht certified for its carpets

  Scenario: An inspector issues 400 carpet labels for a certified cooperative and prints the sheet
    When the inspector issues 400 labels for the cooperative's carpets
    And the inspector prints the batch's label sheet for the print shop
    Then 400 labels exist, each with its own serial and a valid signature
    And the transparency log holds one issuance entry per label
    And the cooperative can download its 400 labels
    And the artwork the cooperative downloads for a label scans back to that label
    And every QR code on the sheet decodes back to one of the 400 labels

  Scenario: A large print run is issued in the background while the inspector follows it
    When the inspector orders a print run of 2500 labels for the cooperative's carpets
    Then the registry accepts the print run and says where to follow its progress
    And the print run completes with 2500 labels, each with its issuance entry in the log

  Scenario: A label cannot be issued under a suspended certificate
    Given the cooperative's certificate is suspended
    When the inspector tries to issue 10 labels for the cooperative's carpets
    Then the inspector is told "certificate-suspended"
    And no label exists

  Scenario: A retried batch request with the same key does not double the labels
    When the inspector issues 100 labels with the request key "atelier-42"
    And the inspector's connection drops and the same request is sent again
    Then the second answer is the batch made the first time
    And 100 labels exist

  Scenario: A revoked label stays revoked after the certificate is reinstated
    Given the inspector issued 5 labels for the cooperative's carpets
    And one of them is revoked because it was stolen from the workshop
    When the body suspends the certificate and later reinstates it
    Then the stolen label is still revoked
    And the 4 other labels are active
