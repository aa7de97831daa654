package ravao

import (
	"errors"
	"testing"
	"time"
)

func TestBreachDeadlineAndStatus(t *testing.T) {
	found := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	b := Breach{Title: "Lộ tệp xuất", What: "x", FoundAt: found, DataKinds: []string{"phone"}, Status: BreachOpen}
	if got, want := b.Deadline(), found.Add(72*time.Hour); !got.Equal(want) {
		t.Fatalf("Deadline = %v, want %v", got, want)
	}
	if b.Late(found.Add(71*time.Hour)) || !b.Late(found.Add(73*time.Hour)) {
		t.Fatal("Late before or after the deadline is wrong")
	}
	if err := b.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	for _, tc := range []struct {
		from, to BreachStatus
		ok       bool
	}{
		{BreachOpen, BreachNotified, true}, {BreachOpen, BreachClosed, true}, {BreachNotified, BreachClosed, true},
		{BreachClosed, BreachOpen, false}, {BreachClosed, BreachNotified, false}, {BreachNotified, BreachOpen, false},
		{BreachOpen, "lost", false},
	} {
		if got := tc.from.CanBecome(tc.to); got != tc.ok {
			t.Errorf("%s → %s: %v, want %v", tc.from, tc.to, got, tc.ok)
		}
	}
}

func TestBreachValidate(t *testing.T) {
	found := time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)
	bad := Breach{Title: " ", FoundAt: found, OccurredAt: found.Add(time.Hour), DataKinds: []string{"phone", "phone", "dna"},
		PeopleAffected: -1, Status: BreachNotified}
	var e *Error
	if !errors.As(bad.Validate(), &e) {
		t.Fatal("no error")
	}
	for _, f := range []string{"title", "what", "occurred_at", "data_kinds", "people_affected", "notified_at"} {
		if e.Fields[f] == "" {
			t.Errorf("no error on %s: %v", f, e)
		}
	}
}
