Feature: The chambres' registry of inspectors, artisans and their products
  A chambre d'artisanat keeps the register of the artisans of its region. Its admin opens
  inspector accounts and authorises each inspector per label scheme; its inspectors register
  the artisans they visit and their products. A chambre sees its own artisans only, and an
  artisan's personal details are read by the artisan itself and its chambre's admin alone.

  Background:
    Given the chambre of Drâa-Tafilalet with an admin

  Scenario: A body admin registers an inspector and authorises it for the carpet stamp
    When the admin opens an inspector account for "Youssef Amrani"
    And the admin authorises the inspector for "TAPIS-SUPERIEURE"
    Then the inspector can sign in
    And the inspector is authorised for 1 label scheme

  Scenario: A body admin withdraws an inspector's authorisation
    Given an inspector of the chambre authorised for "TAPIS-MOYENNE"
    When the admin withdraws the inspector's authorisation for "TAPIS-MOYENNE"
    Then the inspector is authorised for 0 label schemes

  Scenario: An inspector registers a cooperative from Taznakht
    Given an inspector of the chambre
    When the inspector registers the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    Then the chambre's registry lists 1 artisan in "Taznakht"
    And the cooperative has a 10-character public registry id

  Scenario: A NIA is registered only once
    Given an inspector of the chambre
    And the inspector has registered the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    When the inspector registers the cooperative "Coopérative Tighza bis" of "Taznakht" with NIA "NIA-08-555001"
    Then the registration is refused because "nia-taken"

  Scenario: A chambre registers the artisans of its own region only
    Given an inspector of the chambre
    When the inspector registers the cooperative "Coopérative Al Fakhar" of "Safi" in region "MA-07"
    Then the registration is refused because "region-outside-body"

  Scenario: An inspector from another chambre cannot see our artisans
    Given an inspector of the chambre
    And the inspector has registered the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    And an inspector of the chambre of Marrakech-Safi
    When the Marrakech-Safi inspector looks the cooperative up
    Then the cooperative is not found
    And the Marrakech-Safi inspector's registry lists 0 artisans

  Scenario: An artisan sees its own private details, an inspector does not
    Given an inspector of the chambre
    And the inspector has registered the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    And the admin has opened the cooperative's own account
    When the cooperative reads its own record
    Then it sees its phone number "+212 524 88 00 01"
    When the inspector reads the cooperative's record
    Then no phone number is shown

  Scenario: A carpet without a GS1 barcode gets a registry GTIN
    Given an inspector of the chambre
    And the inspector has registered the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    When the inspector registers the product line "Tapis Ouzguita" without a GTIN
    Then the product line has a registry GTIN

  Scenario: A barcode with a wrong check digit is refused
    Given an inspector of the chambre
    And the inspector has registered the cooperative "Coopérative Tighza" of "Taznakht" with NIA "NIA-08-555001"
    When the inspector registers the product line "Tapis Ouzguita" with GTIN "6111000010014"
    Then the product line is refused because "gtin-invalid"
