Feature: A body admin manages the life of a certificate
  A certificate lives from a passing audit until it expires. The chambre's admin may suspend
  it (a surveillance visit found a problem, the cooperative asked for a pause), reinstate it
  once the problem is fixed, or withdraw it for good. Every change carries who, when and
  why, and the certificate's history keeps all of them.

  Background:
    Given the Taznakht weaving cooperative holds an active "TAPIS-MOYENNE" certificate
    And the admin of the Drâa-Tafilalet chambre is signed in

  Scenario: A body admin suspends and reinstates a certificate with a reason, and the history shows both
    When the admin suspends the certificate for "surveillance_nonconformity" noting "Densité relevée à 64 000 nœuds/m² au contrôle"
    Then the certificate is "suspended"
    When the admin reinstates the certificate for "corrective_action_closed"
    Then the certificate is "active"
    And the certificate's history reads:
      | action     | from      | to        | reason                     |
      | issued     |           | active    | audit_passed               |
      | suspended  | active    | suspended | surveillance_nonconformity |
      | reinstated | suspended | active    | corrective_action_closed   |
    And the suspension note is in the history but not in the public log

  Scenario: A withdrawn certificate cannot be reinstated
    When the admin withdraws the certificate for "fraud"
    And the admin reinstates the certificate for "corrective_action_closed"
    Then the admin is told "A certificate that is withdrawn cannot be reinstated." (409)
    And the certificate is "withdrawn"

  Scenario: An inspector cannot suspend a certificate
    When the inspector who certified suspends the certificate for "surveillance_nonconformity"
    Then the inspector is told "This action is not available to the inspector role." (403)
    And the certificate is "active"

  Scenario: A certificate past its validity reads as expired and cannot be reinstated
    Given the admin has suspended the certificate for "artisan_request"
    When the certificate's validity has run out
    Then the certificate is "expired"
    When the admin reinstates the certificate for "corrective_action_closed"
    Then the admin is told "A certificate that is expired cannot be reinstated." (409)
