Feature: Signing in to the registry
  Inspectors, chambre admins and artisans sign in with their email and password and get a
  token that opens the registry until it expires or is revoked. Repeated wrong passwords
  lock the account for a while, so that nobody can find a password by trying them one after
  the other, and a stranger cannot tell from the answers whether an email belongs to anyone.

  Background:
    Given Nadia, an inspector of the chambre of Drâa-Tafilalet

  Scenario: An inspector signs in and gets a token
    When Nadia signs in with her password
    Then she gets a token
    And her token opens the registry as an inspector

  Scenario: A wrong password is refused
    When Nadia signs in with the password "tapis tapis tapis"
    Then she is refused because "login-failed"

  Scenario: Repeated wrong passwords lock the account for a while
    When someone tries 5 wrong passwords on Nadia's account
    And Nadia signs in with her password
    Then she is refused because "login-locked"
    And she is told how many seconds to wait
    When the lock has passed
    And Nadia signs in with her password
    Then she gets a token

  Scenario: A stranger cannot tell whether an email is registered
    When someone tries 6 wrong passwords on Nadia's account
    And someone tries 6 wrong passwords on an email nobody uses
    Then both got exactly the same answers

  Scenario: A revoked token no longer opens the registry
    Given Nadia has signed in
    When Nadia signs out
    Then her token no longer opens the registry

  Scenario: Nadia signs in from her browser
    When Nadia signs in on the sign-in page
    Then her browser keeps a session cookie that scripts cannot read
    And her session opens the registry as an inspector

  Scenario: A mistyped password on the sign-in page shows the form again
    When Nadia signs in on the sign-in page with the password "tapis tapis tapis"
    Then the sign-in page says "Email ou mot de passe incorrect."
