package storetest

import (
	"reflect"
	"time"

	"github.com/ravao/ravao"
)

var sessionTests = []test{
	{"Sessions/Lifecycle", testSessions},
	{"Sessions/DeleteUserSessions", testDeleteUserSessions},
	{"Sessions/DeleteExpired", testDeleteExpiredSessions},
	{"Tokens", testTokens},
	{"Tokens/RevokeUserTokens", testRevokeUserTokens},
}

// mustSession stores a session of a user expiring after ttl.
func (e *env) mustSession(userID int64, ttl time.Duration) ravao.Session {
	e.t.Helper()
	s := ravao.Session{TokenHash: randomBytes(32), UserID: userID, ExpiresAt: e.now().Add(ttl)}
	e.update(func(tx ravao.Tx) error { return tx.CreateSession(&s) })
	return s
}

// sessionExists reports whether a session is stored.
func (e *env) sessionExists(hash []byte) bool {
	e.t.Helper()
	var found bool
	e.view(func(tx ravao.Tx) error {
		_, err := tx.Session(hash)
		found = err == nil
		if err != nil && !ravao.IsNotFound(err) {
			return err
		}
		return nil
	})
	return found
}

func testSessions(e *env) {
	u := e.mustUser("sess")
	s := e.mustSession(u.ID, time.Hour)
	if !s.CreatedAt.Equal(e.now()) {
		e.t.Errorf("CreateSession: got CreatedAt %v, want %v", s.CreatedAt, e.now())
	}
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Session(s.TokenHash); err != nil || !reflect.DeepEqual(got, s) {
			e.t.Errorf("Session: got %+v, %v; want %+v", got, err, s)
		}
		_, err := tx.Session(randomBytes(32))
		wantCode(e.t, "Session of an unknown hash", err, ravao.NotFound)
		return nil
	})
	seen := e.now().Add(5 * time.Minute)
	e.update(func(tx ravao.Tx) error { return tx.TouchSession(s.TokenHash, seen) })
	e.view(func(tx ravao.Tx) error {
		if got, err := tx.Session(s.TokenHash); err != nil || !got.LastSeen.Equal(seen) {
			e.t.Errorf("LastSeen after TouchSession: got %v, %v; want %v", got.LastSeen, err, seen)
		}
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := ravao.Session{TokenHash: s.TokenHash, UserID: u.ID, ExpiresAt: e.now()}
		return tx.CreateSession(&dup)
	})
	wantCode(e.t, "CreateSession with a stored hash", err, ravao.Conflict)
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.TouchSession(randomBytes(32), seen) })
	wantCode(e.t, "TouchSession of an unknown hash", err, ravao.NotFound)
	e.update(func(tx ravao.Tx) error { return tx.DeleteSession(s.TokenHash) })
	if e.sessionExists(s.TokenHash) {
		e.t.Errorf("session still stored after DeleteSession")
	}
	err = e.s.Update(e.ctx, func(tx ravao.Tx) error { return tx.DeleteSession(s.TokenHash) })
	wantCode(e.t, "DeleteSession of a deleted session", err, ravao.NotFound)
}

func testDeleteUserSessions(e *env) {
	a, b := e.mustUser("alice"), e.mustUser("bob")
	a1, a2, b1 := e.mustSession(a.ID, time.Hour), e.mustSession(a.ID, time.Hour), e.mustSession(b.ID, time.Hour)
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.DeleteUserSessions(a.ID)
		return err
	})
	if n != 2 {
		e.t.Errorf("DeleteUserSessions: got %d, want 2", n)
	}
	if e.sessionExists(a1.TokenHash) || e.sessionExists(a2.TokenHash) || !e.sessionExists(b1.TokenHash) {
		e.t.Errorf("after DeleteUserSessions(alice): alice's sessions %v %v, bob's %v; want gone, gone, kept",
			e.sessionExists(a1.TokenHash), e.sessionExists(a2.TokenHash), e.sessionExists(b1.TokenHash))
	}
}

func testDeleteExpiredSessions(e *env) {
	u := e.mustUser("exp")
	old := e.mustSession(u.ID, time.Minute)
	edge := e.mustSession(u.ID, time.Hour)
	live := e.mustSession(u.ID, 2*time.Hour)
	var n int
	e.update(func(tx ravao.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(e.now().Add(time.Hour))
		return err
	})
	if n != 2 {
		e.t.Errorf("DeleteExpiredSessions: got %d, want 2 (expired before and at now)", n)
	}
	if e.sessionExists(old.TokenHash) || e.sessionExists(edge.TokenHash) || !e.sessionExists(live.TokenHash) {
		e.t.Errorf("after DeleteExpiredSessions: want only the live session kept")
	}
}

func testTokens(e *env) {
	u := e.mustUser("script")
	forever := ravao.APIToken{TokenHash: randomBytes(32), UserID: u.ID, Name: "export"}
	until := ravao.APIToken{TokenHash: randomBytes(32), UserID: u.ID, Name: "sync", ExpiresAt: e.now().Add(24 * time.Hour)}
	e.update(func(tx ravao.Tx) error {
		if err := tx.CreateToken(&forever); err != nil {
			return err
		}
		return tx.CreateToken(&until)
	})
	if forever.ID == 0 || forever.ID == until.ID || !forever.CreatedAt.Equal(e.now()) {
		e.t.Fatalf("CreateToken: got IDs %d, %d, CreatedAt %v", forever.ID, until.ID, forever.CreatedAt)
	}
	e.view(func(tx ravao.Tx) error {
		for _, want := range []ravao.APIToken{forever, until} {
			if got, err := tx.TokenByHash(want.TokenHash); err != nil || !reflect.DeepEqual(got, want) {
				e.t.Errorf("TokenByHash: got %+v, %v; want %+v", got, err, want)
			}
		}
		_, err := tx.TokenByHash(randomBytes(32))
		wantCode(e.t, "TokenByHash of an unknown hash", err, ravao.NotFound)
		return nil
	})
	err := e.s.Update(e.ctx, func(tx ravao.Tx) error {
		dup := ravao.APIToken{TokenHash: forever.TokenHash, UserID: u.ID}
		return tx.CreateToken(&dup)
	})
	wantCode(e.t, "CreateToken with a stored hash", err, ravao.Conflict)
}

func testRevokeUserTokens(e *env) {
	a, b := e.mustUser("alice"), e.mustUser("bob")
	tokens := []ravao.APIToken{
		{TokenHash: randomBytes(32), UserID: a.ID, Name: "a1"},
		{TokenHash: randomBytes(32), UserID: a.ID, Name: "a2"},
		{TokenHash: randomBytes(32), UserID: a.ID, Name: "a3", Revoked: true},
		{TokenHash: randomBytes(32), UserID: b.ID, Name: "b1"},
	}
	e.update(func(tx ravao.Tx) error {
		for i := range tokens {
			if err := tx.CreateToken(&tokens[i]); err != nil {
				return err
			}
		}
		return nil
	})
	for _, want := range []int{2, 0} {
		var n int
		e.update(func(tx ravao.Tx) (err error) {
			n, err = tx.RevokeUserTokens(a.ID)
			return err
		})
		if n != want {
			e.t.Errorf("RevokeUserTokens: got %d, want %d", n, want)
		}
	}
	e.view(func(tx ravao.Tx) error {
		for i, want := range []bool{true, true, true, false} {
			got, err := tx.TokenByHash(tokens[i].TokenHash)
			if err != nil || got.Revoked != want {
				e.t.Errorf("token %s: got Revoked %v, %v; want %v", tokens[i].Name, got.Revoked, err, want)
			}
		}
		return nil
	})
}
