package draw

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/cloudflare/circl/sign/bls"

	"trustmark"
	"trustmark/data"
)

// SchemeUnchainedG1 is the only drand scheme verified here: quicknet's
// bls-unchained-g1-rfc9380 (signatures on G1, public key on G2, each round
// signed independently of the previous one).
const SchemeUnchainedG1 = "bls-unchained-g1-rfc9380"

// Chain is a drand chain's public description: what an offline verifier
// needs to check a round, and what ties a round to wall-clock time.
type Chain struct {
	BeaconID    string
	Hash        string // hex SHA-256 of the chain info, as drand names chains
	PublicKey   []byte // G2, 96 bytes compressed
	GenesisTime int64  // Unix seconds of round 1
	Period      time.Duration
	Scheme      string
	GenesisSeed []byte
}

// quicknetFile is the embedded copy of quicknet's chain info and recorded
// beacons.
const quicknetFile = "reference/drand_quicknet.json"

// Quicknet returns the League of Entropy's quicknet chain (3-second rounds
// since 2023-08-23), as shipped in the reference data. Its info never
// changes: drand's own clients hard-code it.
func Quicknet() Chain {
	b, err := data.Reference.ReadFile(quicknetFile)
	if err != nil {
		panic(fmt.Sprintf("draw: embedded %s: %v", quicknetFile, err))
	}
	var f struct {
		Chain struct {
			BeaconID    string `json:"beacon_id"`
			Hash        string `json:"chain_hash"`
			PublicKey   string `json:"public_key_hex"`
			GenesisTime int64  `json:"genesis_time"`
			Period      int64  `json:"period_seconds"`
			Scheme      string `json:"scheme_id"`
			GenesisSeed string `json:"genesis_seed"`
		} `json:"chain"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		panic(fmt.Sprintf("draw: embedded %s: %v", quicknetFile, err))
	}
	c := f.Chain
	pk, err1 := hex.DecodeString(c.PublicKey)
	seed, err2 := hex.DecodeString(c.GenesisSeed)
	if err1 != nil || err2 != nil {
		panic(fmt.Sprintf("draw: embedded %s: bad hex", quicknetFile))
	}
	return Chain{BeaconID: c.BeaconID, Hash: c.Hash, PublicKey: pk, GenesisTime: c.GenesisTime,
		Period: time.Duration(c.Period) * time.Second, Scheme: c.Scheme, GenesisSeed: seed}
}

// InfoHash recomputes the chain hash from the chain's parameters as drand
// does (common/chain/info.go): SHA-256 of the period in seconds (4 bytes),
// the genesis time (8 bytes), the public key, the genesis seed and, unless
// it is "default", the beacon id. A commitment names the chain by this hash,
// so a verifier need not trust the key it was handed.
func (c Chain) InfoHash() string {
	h := sha256.New()
	binary.Write(h, binary.BigEndian, uint32(c.Period/time.Second))
	binary.Write(h, binary.BigEndian, c.GenesisTime)
	h.Write(c.PublicKey)
	h.Write(c.GenesisSeed)
	if c.BeaconID != "" && c.BeaconID != "default" {
		h.Write([]byte(c.BeaconID))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// RoundAt returns the latest round published at t (drand's CurrentRound):
// round 1 at genesis, one more each period; 0 before genesis.
func (c Chain) RoundAt(t time.Time) uint64 {
	if t.Unix() < c.GenesisTime || c.Period <= 0 {
		return 0
	}
	return uint64(t.Unix()-c.GenesisTime)/uint64(c.Period/time.Second) + 1
}

// TimeOf returns when round is published: genesis + (round-1) periods.
func (c Chain) TimeOf(round uint64) time.Time {
	if round == 0 {
		return time.Unix(c.GenesisTime, 0).UTC()
	}
	return time.Unix(c.GenesisTime, 0).UTC().Add(time.Duration(round-1) * c.Period)
}

// Beacon is one drand round as the HTTP relays publish it
// (GET /{chain}/public/{round}).
type Beacon struct {
	Round      uint64
	Signature  []byte
	Randomness []byte // SHA-256 of Signature
}

// maxBeaconJSON bounds a beacon document: the real one is under 300 bytes.
const maxBeaconJSON = 4096

// ParseBeacon reads a relay's beacon JSON ({"round", "randomness",
// "signature"}; quicknet has no "previous_signature"). It checks the form,
// and that randomness is the signature's SHA-256, but not the signature:
// that is VerifyBeacon's job.
func ParseBeacon(b []byte) (Beacon, error) {
	if len(b) > maxBeaconJSON {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "beacon", "beacon is %d bytes, want at most %d", len(b), maxBeaconJSON)
	}
	var j struct {
		Round      *uint64 `json:"round"`
		Randomness string  `json:"randomness"`
		Signature  string  `json:"signature"`
		Previous   string  `json:"previous_signature"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "beacon", "beacon is not the relay's JSON: %v", err)
	}
	if dec.More() {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "beacon", "trailing data after the beacon")
	}
	if j.Round == nil || *j.Round == 0 {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "round", "beacon has no round (rounds start at 1)")
	}
	if j.Previous != "" {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "previous_signature", "a chained beacon; want an unchained (%s) one", SchemeUnchainedG1)
	}
	sig, err := hex.DecodeString(j.Signature)
	if err != nil || len(sig) != 48 {
		return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "signature", "signature must be 48 bytes in hex (a compressed G1 point)")
	}
	bc := Beacon{Round: *j.Round, Signature: sig}
	want := sha256.Sum256(sig)
	bc.Randomness = want[:]
	if j.Randomness != "" {
		r, err := hex.DecodeString(j.Randomness)
		if err != nil || !bytes.Equal(r, want[:]) {
			return Beacon{}, trustmark.Errorf(trustmark.EInvalid, "randomness", "randomness is not the SHA-256 of the signature")
		}
	}
	return bc, nil
}

// VerifyBeacon checks b's BLS signature with the chain's public key,
// offline: the message is SHA-256 of the round as an 8-byte big-endian
// integer, hashed to G1 with the scheme's DST
// BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_, which is the tag circl's
// KeyG2SigG1 uses (no other scheme is accepted, so no other tag is needed).
func VerifyBeacon(c Chain, b Beacon) error {
	if c.Scheme != SchemeUnchainedG1 {
		return trustmark.Errorf(trustmark.EInvalid, "scheme", "drand scheme %q, want %s", c.Scheme, SchemeUnchainedG1)
	}
	var pk bls.PublicKey[bls.KeyG2SigG1]
	if err := pk.UnmarshalBinary(c.PublicKey); err != nil {
		return trustmark.Errorf(trustmark.EInvalid, "public_key", "chain public key is not a G2 point: %v", err)
	}
	msg := RoundMessage(b.Round)
	if !bls.Verify(&pk, msg[:], b.Signature) {
		return trustmark.Errorf(trustmark.EInvalid, "signature", "round %d: signature does not verify with the %s chain's key", b.Round, c.BeaconID)
	}
	if want := sha256.Sum256(b.Signature); !bytes.Equal(b.Randomness, want[:]) {
		return trustmark.Errorf(trustmark.EInvalid, "randomness", "round %d: randomness is not the SHA-256 of the signature", b.Round)
	}
	return nil
}

// RoundMessage is what an unchained drand round signs.
func RoundMessage(round uint64) [32]byte {
	return sha256.Sum256(binary.BigEndian.AppendUint64(nil, round))
}
