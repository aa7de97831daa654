package storetest

import "github.com/ravao/ravao"

var settingTests = []test{
	{"Settings", testSettings},
}

func testSettings(e *env) {
	e.view(func(tx ravao.Tx) error {
		_, err := tx.Setting("units.version")
		wantCode(e.t, "Setting of a missing key", err, ravao.NotFound)
		return nil
	})
	e.update(func(tx ravao.Tx) error { return tx.PutSetting("units.version", "2025-03") })
	e.update(func(tx ravao.Tx) error { return tx.PutSetting("units.version", "2026-07") })
	e.update(func(tx ravao.Tx) error { return tx.PutSetting("empty", "") })
	e.view(func(tx ravao.Tx) error {
		for key, want := range map[string]string{"units.version": "2026-07", "empty": ""} {
			if got, err := tx.Setting(key); err != nil || got != want {
				e.t.Errorf("Setting(%q): got %q, %v; want %q", key, got, err, want)
			}
		}
		return nil
	})
}
