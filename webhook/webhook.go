// Package webhook calls the webhooks of watches: it follows the registry's
// event feed, queues a signed delivery for each watch a certificate's
// status change concerns, and delivers them with retries. The watches
// themselves are kept by a trustmark.WatchStore and managed through the
// JSON API.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"trustmark"
)

// Webhook headers. The signature is HMAC-SHA256, keyed with the watch's
// secret, of the timestamp, a full stop and the raw body:
//
//	X-Trustmark-Signature: sha256=hex(HMAC(secret, timestamp + "." + body))
//
// Signing the timestamp lets receivers refuse replays of old deliveries.
const (
	HeaderSignature = "X-Trustmark-Signature"
	HeaderTimestamp = "X-Trustmark-Timestamp"
	HeaderDelivery  = "X-Trustmark-Delivery" // "WATCH_ID:EVENT_SEQ", the same on every retry
	HeaderEvent     = "X-Trustmark-Event"    // the event's action
)

// Sign returns the value of the signature header for body sent at
// timestamp (unix seconds) with secret.
func Sign(secret string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10)))
	mac.Write([]byte("."))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// CheckSignature verifies a delivery as a receiver should: the signature
// must match and the timestamp be within tolerance of now.
func CheckSignature(secret, signature, timestamp string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q is not unix seconds", timestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("timestamp %s is %s away from now", timestamp, d.Round(time.Second))
	}
	if !hmac.Equal([]byte(signature), []byte(Sign(secret, ts, body))) {
		return errors.New("signature does not match")
	}
	return nil
}

// maxURLBytes bounds a webhook address.
const maxURLBytes = 2048

// CheckURL validates a webhook address and returns it cleaned: absolute
// http or https, no credentials, of reasonable length, no fragment. Where
// it may point is checked when it is called (PublicClient).
func CheckURL(s string) (string, error) {
	if len(s) > maxURLBytes {
		return "", trustmark.Invalidf("webhook.url_length", "url", "webhook URL is %d bytes, want at most %d", len(s), maxURLBytes)
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", trustmark.Invalidf("webhook.url_form", "url", "webhook URL %q is not an absolute http:// or https:// address", s)
	}
	if u.User != nil {
		return "", trustmark.Invalidf("webhook.url_userinfo", "url", "webhook URL must not contain a user name or password")
	}
	u.Fragment = ""
	return u.String(), nil
}

// Payload is the JSON body of a webhook call.
type Payload struct {
	Delivery string              `json:"delivery"` // WATCH_ID:EVENT_SEQ
	WatchID  string              `json:"watch_id"`
	Matched  trustmark.WatchItem `json:"matched"` // the watched item the event concerns
	Event    PayloadEvent        `json:"event"`
	Cert     *PayloadCertificate `json:"certificate,omitempty"`
}

// PayloadEvent is the public part of the registry event.
type PayloadEvent struct {
	Seq         int64     `json:"seq"`
	At          time.Time `json:"at"`
	Entity      string    `json:"entity"`
	Key         string    `json:"key"`
	Action      string    `json:"action"`
	From        string    `json:"from,omitempty"`
	To          string    `json:"to,omitempty"`
	Reason      string    `json:"reason,omitempty"`
	EffectiveOn string    `json:"effective_on,omitempty"`
}

// PayloadCertificate is the certificate after the event.
type PayloadCertificate struct {
	Number         string `json:"number"`
	Type           string `json:"type"`
	Status         string `json:"status"`
	StatusSince    string `json:"status_since,omitempty"`
	HolderUSCC     string `json:"holder_uscc"`
	BodyApprovalNo string `json:"body_approval_no"`
	ExpiresOn      string `json:"expires_on,omitempty"`
	URL            string `json:"url"`
}

func payload(watchID, delivery string, it trustmark.WatchItem, ev *trustmark.Event, c *trustmark.Certificate) Payload {
	p := Payload{Delivery: delivery, WatchID: watchID, Matched: it, Event: PayloadEvent{
		Seq: ev.Seq, At: ev.At, Entity: ev.Entity, Key: ev.Key, Action: ev.Action, From: ev.From, To: ev.To,
		Reason: ev.Reason, EffectiveOn: ev.EffectiveOn.String()}}
	p.Cert = &PayloadCertificate{Number: c.Number, Type: string(c.Type), Status: string(c.Status), StatusSince: c.StatusSince.String(),
		HolderUSCC: string(c.HolderUSCC), BodyApprovalNo: c.BodyApprovalNo, ExpiresOn: c.ExpiresOn.String(),
		URL: "/certificates/" + c.Number}
	return p
}
