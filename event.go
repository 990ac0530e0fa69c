package trustmark

import (
	"encoding/json"
	"time"
)

// Event actions. An action names the entity and what happened to it.
const (
	ActionCreated       = "created"        // a record first entered the registry
	ActionUpdated       = "updated"        // a record's fields changed (re-import, edit)
	ActionIssued        = "issued"         // a certificate was issued through the API
	ActionStatusChanged = "status_changed" // a status transition
	ActionExpired       = "expired"        // the expiry job recorded an expiry
)

// Entity names, used in events and the log.
const (
	EntityOrg         = "org"
	EntityBody        = "body"
	EntityLab         = "lab"
	EntityPerson      = "person"
	EntityCertificate = "certificate"
	EntityReport      = "report"
)

// Event is one change of state in the registry: who did what to which record,
// when and why. Events are written in the same transaction as the state they
// describe, numbered without gaps in commit order; the traceability log is
// exactly the sequence of events.
type Event struct {
	Seq         int64           `json:"seq"` // 0-based, gapless, commit order; equals the log index
	At          time.Time       `json:"at"`  // UTC, microsecond precision
	Actor       string          `json:"actor"`
	Entity      string          `json:"entity"`
	Key         string          `json:"key"` // natural key of the record (Certificate.Key, USCC, ...)
	Action      string          `json:"action"`
	From        string          `json:"from,omitempty"` // status before, for status changes
	To          string          `json:"to,omitempty"`   // status after
	Reason      string          `json:"reason,omitempty"`
	EffectiveOn Date            `json:"effective_on,omitempty"`
	Data        json.RawMessage `json:"data,omitempty"` // public state after the change, JSON

	// Personal holds personal data (a person's name) that the public log
	// commits to only by salted hash; Salt is the per-event random salt.
	Personal map[string]string `json:"-"`
	Salt     []byte            `json:"-"`
}

// EventFilter selects events.
type EventFilter struct {
	Entity string
	Key    string
	After  int64 // Seq > After; -1 for all
	Limit  int
}
