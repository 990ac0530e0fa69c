package draw

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"trustmark/data"
)

type recordedBeacon struct {
	Round      uint64 `json:"round"`
	Signature  string `json:"signature"`
	Randomness string `json:"randomness"`
	Time       int64  `json:"round_time_unix"`
	Kind       string `json:"kind"`
}

func loadBeacons(t testing.TB) (beacons, mustFail []recordedBeacon) {
	t.Helper()
	b, err := data.Reference.ReadFile(quicknetFile)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Beacons  []recordedBeacon `json:"beacons"`
		MustFail []recordedBeacon `json:"must_fail"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Beacons) == 0 || len(f.MustFail) == 0 {
		t.Fatalf("reference has %d beacons and %d must-fail pairs, want some of each", len(f.Beacons), len(f.MustFail))
	}
	return f.Beacons, f.MustFail
}

// relayJSON is the beacon as drand's HTTP relays serve it.
func relayJSON(b recordedBeacon) []byte {
	if b.Randomness == "" {
		return fmt.Appendf(nil, `{"round":%d,"signature":"%s"}`, b.Round, b.Signature)
	}
	return fmt.Appendf(nil, `{"round":%d,"randomness":"%s","signature":"%s"}`, b.Round, b.Randomness, b.Signature)
}

func TestRecordedQuicknetBeaconsVerify(t *testing.T) {
	chain := Quicknet()
	beacons, _ := loadBeacons(t)
	for _, rb := range beacons {
		t.Run(fmt.Sprintf("round %d verifies and is published on time", rb.Round), func(t *testing.T) {
			b, err := ParseBeacon(relayJSON(rb))
			if err != nil {
				t.Fatal(err)
			}
			r, err := FromBeacon(chain, b)
			if err != nil {
				t.Fatalf("FromBeacon(round %d) = %v, want it verified", rb.Round, err)
			}
			if got := hex.EncodeToString(r.Value[:]); got != rb.Randomness {
				t.Errorf("randomness = %s, want %s", got, rb.Randomness)
			}
			if got := chain.TimeOf(rb.Round).Unix(); got != rb.Time {
				t.Errorf("TimeOf(%d) = %d, want %d", rb.Round, got, rb.Time)
			}
			if got := chain.RoundAt(time.Unix(rb.Time, 0)); got != rb.Round {
				t.Errorf("RoundAt(%d) = %d, want %d", rb.Time, got, rb.Round)
			}
		})
	}
}

func TestMustFailBeaconsFail(t *testing.T) {
	chain := Quicknet()
	_, mustFail := loadBeacons(t)
	for _, rb := range mustFail {
		t.Run(fmt.Sprintf("%s at round %d is refused", rb.Kind, rb.Round), func(t *testing.T) {
			b, err := ParseBeacon(relayJSON(rb))
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyBeacon(chain, b); err == nil {
				t.Errorf("VerifyBeacon(round %d) = nil, want a failure", rb.Round)
			}
		})
	}
	t.Run("another chain's key is refused", func(t *testing.T) {
		beacons, _ := loadBeacons(t)
		b, err := ParseBeacon(relayJSON(beacons[0]))
		if err != nil {
			t.Fatal(err)
		}
		other := chain
		other.PublicKey = append([]byte{}, chain.PublicKey...)
		other.PublicKey[95] ^= 1
		if err := VerifyBeacon(other, b); err == nil {
			t.Error("VerifyBeacon with a changed key = nil, want a failure")
		}
		other = chain
		other.Scheme = "pedersen-bls-chained"
		if err := VerifyBeacon(other, b); err == nil {
			t.Error("VerifyBeacon with another scheme = nil, want a failure")
		}
	})
}

func TestQuicknetChainHashIsRecomputed(t *testing.T) {
	c := Quicknet()
	if got := c.InfoHash(); got != c.Hash {
		t.Errorf("InfoHash() = %s, want %s", got, c.Hash)
	}
}

func TestRoundAt(t *testing.T) {
	c := Quicknet()
	g := time.Unix(c.GenesisTime, 0)
	for _, tc := range []struct {
		name string
		at   time.Time
		want uint64
	}{
		{"before genesis there is no round", g.Add(-time.Second), 0},
		{"round 1 is at genesis", g, 1},
		{"still round 1 a moment before the period ends", g.Add(2 * time.Second), 1},
		{"round 2 one period later", g.Add(3 * time.Second), 2},
		{"a day is 28,800 rounds", g.Add(24 * time.Hour), 28801},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.RoundAt(tc.at); got != tc.want {
				t.Errorf("RoundAt(%v) = %d, want %d", tc.at, got, tc.want)
			}
		})
	}
}

func TestParseBeaconRefusesMalformedBeacons(t *testing.T) {
	sig := "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92"
	for _, tc := range []struct{ name, in string }{
		{"not JSON", `round 123`},
		{"no round", `{"signature":"` + sig + `"}`},
		{"round 0", `{"round":0,"signature":"` + sig + `"}`},
		{"a negative round", `{"round":-1,"signature":"` + sig + `"}`},
		{"a short signature", `{"round":123,"signature":"b75c69"}`},
		{"a signature not in hex", `{"round":123,"signature":"` + sig[:94] + `zz"}`},
		{"randomness that is not the signature's hash", `{"round":123,"signature":"` + sig + `","randomness":"00"}`},
		{"a chained beacon", `{"round":123,"signature":"` + sig + `","previous_signature":"aa"}`},
		{"an unknown field", `{"round":123,"signature":"` + sig + `","extra":1}`},
		{"trailing data", `{"round":123,"signature":"` + sig + `"} {}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if b, err := ParseBeacon([]byte(tc.in)); err == nil {
				t.Errorf("ParseBeacon(%s) = %+v, want an error", tc.in, b)
			}
		})
	}
}

func FuzzParseBeacon(f *testing.F) {
	beacons, mustFail := loadBeacons(f)
	for _, b := range append(beacons, mustFail...) {
		f.Add(relayJSON(b))
	}
	f.Add([]byte(`{"round":1}`))
	chain := Quicknet()
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := ParseBeacon(in)
		if err != nil {
			return
		}
		if b.Round == 0 || len(b.Signature) != 48 || len(b.Randomness) != 32 {
			t.Fatalf("ParseBeacon accepted %+v", b)
		}
		_ = VerifyBeacon(chain, b) // must not panic on any 48 bytes
	})
}
