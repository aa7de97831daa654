package sqlstore

// Setting returns the value of a deployment setting.
func (t *Tx) Setting(key string) (string, error) {
	var v string
	err := t.queryRow(`SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	return v, t.db.translate(err)
}

// PutSetting sets a deployment setting, replacing any value it had.
func (t *Tx) PutSetting(key, value string) error {
	_, err := t.exec(`INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
