-- Sign-in locks that hold under parallel guesses (D-SUPERVISION): attempts counted before the
-- check, per account and per session, for passwords and dock PINs.

-- Every badge someone has tried to sign in as: accounts, and badges no account has (unknown, or an
-- account whose role still awaits confirmation), so that none answers otherwise than a wrong
-- password would. Scope 'account' counts guesses at the badge's own password or dock PIN;
-- 'pin-caller' counts dock PINs typed by that badge's sessions for whomever, so that one officer
-- cannot try a few PINs on each colleague. `attempts` is raised before each (slow) check, in the
-- same transaction that looks at the lock, and lowered only by a success; at the limit the badge
-- is locked until `locked_until`.
CREATE TABLE sign_in_locks (
  scope            TEXT NOT NULL CHECK (scope IN ('account', 'pin-caller')),
  badge            TEXT NOT NULL COLLATE NOCASE,
  attempts         INTEGER NOT NULL CHECK (attempts >= 0),
  locked_until     TEXT,
  last_attempt_at  TEXT NOT NULL,
  PRIMARY KEY (scope, badge)
) STRICT, WITHOUT ROWID;

-- The counts and locks users kept until now move here; an old lock keeps its end time.
INSERT INTO sign_in_locks (scope, badge, attempts, locked_until, last_attempt_at)
  SELECT 'account', badge, failed_logins, locked_until, updated_at FROM users
  WHERE failed_logins > 0 OR locked_until IS NOT NULL;
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- Raised each time a person sets the password (added, changed, reset), not when the station
-- stores it again at a higher scrypt cost: a session opened under an older generation ends.
ALTER TABLE users ADD COLUMN password_generation INTEGER NOT NULL DEFAULT 1;

-- Dock PINs are six digits now, as the national recorder standard's device passwords. A stored
-- hash does not tell how long its PIN was, so every PIN set before is cleared, and the person is
-- told why: 'six-digit-pins', or 'password-reset' when an admin's reset cleared it (whoever knew
-- the PIN must not keep it).
ALTER TABLE users ADD COLUMN pin_cleared TEXT
  CHECK (pin_cleared IN ('six-digit-pins', 'password-reset'));
UPDATE users SET pin_hash = NULL, pin_cleared = 'six-digit-pins' WHERE pin_hash IS NOT NULL;

-- Separation of duties (D-CUSTODIAN, D-SUPERVISION): the custodian and supervisor roles, the two
-- that see footage, take two people. An admin asks; a custodian who is neither that admin nor
-- the person named confirms or rejects. Until then the role is not held: a changed account keeps
-- its old role in users, and a new account waits here whole (name and password hash), entering
-- users only when confirmed. 'bootstrap' is a station's first custodian, whom nobody could
-- confirm; 'held-before' a role held when this rule arrived.
CREATE TABLE role_grants (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  badge              TEXT NOT NULL COLLATE NOCASE,
  role               TEXT NOT NULL CHECK (role IN ('custodian', 'supervisor')),
  -- The role held when asked; NULL for a new account, which then has its name here.
  previous_role      TEXT CHECK (previous_role IN ('officer', 'custodian', 'supervisor', 'admin')),
  new_name           TEXT,
  new_password_hash  TEXT,
  status             TEXT NOT NULL
    CHECK (status IN ('pending', 'confirmed', 'rejected', 'bootstrap', 'held-before')),
  requested_by       TEXT NOT NULL,
  requested_at       TEXT NOT NULL,
  decided_by         TEXT,
  decided_at         TEXT,
  CHECK (previous_role IS NOT NULL OR new_name IS NOT NULL),
  -- A waiting account's password hash is kept only while it waits.
  CHECK (new_password_hash IS NULL OR status = 'pending'),
  CHECK ((status IN ('confirmed', 'rejected')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL))
) STRICT;

-- One open request per badge: two admins asking at once cannot both open one.
CREATE UNIQUE INDEX role_grants_one_pending ON role_grants (badge) WHERE status = 'pending';
CREATE INDEX role_grants_by_role ON role_grants (role, status);

INSERT INTO role_grants (badge, role, previous_role, new_name, status, requested_by, requested_at)
  SELECT badge, role, NULL, name, 'held-before', 'station', created_at FROM users
  WHERE role IN ('custodian', 'supervisor')
  ORDER BY created_at, badge;
