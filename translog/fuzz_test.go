package translog

import (
	"context"
	"encoding/json"
	"testing"

	"trustmark"
)

// A history document of two events, proved, for the fuzzers' seeds.
func seedHistory(t testing.TB) ([]byte, *Key) {
	src := &sliceSource{}
	l := openTestLog(t, src, t.TempDir(), 100)
	e1, e2 := sampleEvent(), sampleEvent()
	e1.Seq, e2.Seq = 0, 1
	b1, _ := Entry(e1)
	b2, _ := Entry(e2)
	src.add(b1, b2)
	integrateAll(t, l)
	proofs, _ := l.NewProofs(context.Background())
	cp := proofs.Checkpoint()
	h := History{Format: HistoryFormat, Origin: cp.Origin, Entity: e1.Entity, Key: e1.Key, Checkpoint: string(cp.Signed), TreeSize: cp.Size, RootHash: b64(cp.Root)}
	for i, b := range [][]byte{b1, b2} {
		p, _ := proofs.Inclusion(context.Background(), uint64(i))
		he := HistoryEvent{LogIndex: uint64(i), Event: trustmark.Event{Seq: int64(i)}, Entry: string(b), LeafHash: b64(LeafHash(b))}
		for _, x := range p {
			he.Inclusion = append(he.Inclusion, b64(x))
		}
		h.Items = append(h.Items, he)
	}
	doc, _ := json.Marshal(h)
	return doc, testKey(t)
}

func TestVerifyHistorySeed(t *testing.T) {
	doc, key := seedHistory(t)
	if _, err := VerifyHistory(doc, key.Verifier, false); err != nil {
		t.Fatal(err)
	}
}

func FuzzVerifyHistory(f *testing.F) {
	doc, key := seedHistory(f)
	f.Add(doc)
	f.Add([]byte(`{"format":"trustmark-history/v1","checkpoint":"x"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		VerifyHistory(b, key.Verifier, true) // must not panic
	})
}

func FuzzVerifyTLogProof(f *testing.F) {
	key := testKey(f)
	f.Add([]byte("c2sp.org/tlog-proof@v1\nindex 0\n\ntrustmark.test/log\n1\nAAAA\n\n— x y\n"), []byte("e"))
	f.Add([]byte("c2sp.org/tlog-proof@v1\nextra AA==\nindex 18446744073709551615\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n"), []byte{})
	f.Fuzz(func(t *testing.T, doc, entry []byte) {
		VerifyTLogProof(doc, entry, key.Verifier) // must not panic
	})
}

func FuzzParseCheckpoint(f *testing.F) {
	src := &sliceSource{entries: randomEntries(3, 1)}
	l := openTestLog(f, src, f.TempDir(), 10)
	integrateAll(f, l)
	key := testKey(f)
	f.Add(l.Latest().Signed)
	f.Add([]byte("trustmark.test/log\n18446744073709551615\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n— trustmark.test/log AAAAAA==\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cp, err := ParseCheckpoint(b, key.Verifier)
		if err == nil && cp.Origin != "trustmark.test/log" {
			t.Fatalf("accepted a checkpoint of origin %q", cp.Origin)
		}
	})
}

// FuzzParseLost reads the record of lost entries, which comes from the
// database: only a note signed by the log with ordered, non-empty ranges
// is accepted.
func FuzzParseLost(f *testing.F) {
	key := testKey(f)
	signed, err := signLost(key, lostRanges{{3, 7}, {10, 12}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed)
	f.Add([]byte("trustmark.test/log\nlost\n5 3\n\n— trustmark.test/log AAAA\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := parseLost(b, key.Verifier)
		if err != nil {
			return
		}
		for i, r := range rs {
			if r.From >= r.To || (i > 0 && r.From < rs[i-1].To) {
				t.Fatalf("accepted ranges %v", rs)
			}
		}
	})
}

func TestLostRecord(t *testing.T) {
	key := testKey(t)
	want := lostRanges{{3, 7}, {10, 12}}
	signed, err := signLost(key, want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseLost(signed, key.Verifier)
	if err != nil || len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("parseLost(signLost(%v)) = %v, %v", want, got, err)
	}
	other, _ := GenerateKey(chacha(7), "trustmark.test/log")
	k2, _ := ParseKey(other)
	forged, _ := signLost(k2, want)
	if _, err := parseLost(forged, key.Verifier); err == nil {
		t.Error("a record signed by another key was accepted")
	}
	for i, tc := range []struct{ in lostRanges }{{lostRanges{{7, 7}}}, {lostRanges{{5, 9}, {8, 10}}}} {
		b, _ := signLost(key, tc.in)
		if _, err := parseLost(b, key.Verifier); err == nil {
			t.Errorf("case %d: ranges %v accepted", i, tc.in)
		}
	}
}
