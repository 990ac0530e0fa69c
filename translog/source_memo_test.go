package translog

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"trustmark"
)

// TestSameEventSeesEveryField changes each field of an event in turn: the
// memo must never take the changed event for the remembered one, or an edit
// of the log's last published event would go unseen (guard.go). A field
// of a type this test cannot change fails it, so that a field added to
// trustmark.Event is added to sameEvent as well.
func TestSameEventSeesEveryField(t *testing.T) {
	a := sampleEvent()
	a.Personal = map[string]string{"name": "张伟"}
	a.Salt = bytes.Repeat([]byte{7}, 16)
	if !sameEvent(a, a) {
		t.Fatal("sameEvent(a, a) = false")
	}
	typ := reflect.TypeFor[trustmark.Event]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		b := a
		b.Data, b.Salt = bytes.Clone(a.Data), bytes.Clone(a.Salt)
		b.Personal = map[string]string{"name": "张伟"}
		v := reflect.ValueOf(&b).Elem().Field(i)
		switch x := v.Interface().(type) {
		case int64:
			v.SetInt(x + 1)
		case string:
			v.SetString(x + "x")
		case time.Time:
			v.Set(reflect.ValueOf(x.Add(time.Microsecond)))
		case trustmark.Date:
			v.Set(reflect.ValueOf(x.AddDate(0, 0, 1)))
		case json.RawMessage:
			v.Set(reflect.ValueOf(json.RawMessage(bytes.Replace(x, []byte("120"), []byte("121"), 1))))
		case []byte:
			v.Set(reflect.ValueOf(append(bytes.Clone(x[:len(x)-1]), x[len(x)-1]+1)))
		case map[string]string:
			v.Set(reflect.ValueOf(map[string]string{"name": "李娜"}))
		default:
			t.Fatalf("Event.%s is a %s, which this test cannot change: teach it, and sameEvent", f.Name, f.Type)
		}
		if sameEvent(a, b) {
			t.Errorf("sameEvent takes an event with another %s for the same", f.Name)
		}
	}
}

// memoStore serves events from a slice, as the registry's store would.
type memoStore struct {
	trustmark.Store
	events []trustmark.Event
}

func (s *memoStore) Events(_ context.Context, f trustmark.EventFilter) ([]trustmark.Event, error) {
	var out []trustmark.Event
	for _, e := range s.events {
		if e.Seq > f.After && len(out) < f.Limit {
			e.Data = bytes.Clone(e.Data) // a fresh copy, as a database read gives
			out = append(out, e)
		}
	}
	return out, nil
}

// TestEventSourceMemo: the log's source gives the last entry it encoded
// again without encoding it, and encodes an event changed since.
func TestEventSourceMemo(t *testing.T) {
	ctx := context.Background()
	var events []trustmark.Event
	for i := range 3 {
		e := sampleEvent()
		e.Seq = int64(i)
		events = append(events, e)
	}
	st := &memoStore{events: events}
	src := EventSource{Store: st, memo: &entryMemo{}}
	first, err := src.Entries(ctx, 0, 3)
	if err != nil || len(first) != 3 {
		t.Fatalf("Entries = %d, %v", len(first), err)
	}
	again, err := src.Entries(ctx, 2, 1)
	if err != nil || len(again) != 1 {
		t.Fatalf("Entries(2, 1) = %d, %v", len(again), err)
	}
	if &again[0][0] != &first[2][0] {
		t.Errorf("the last entry read again was encoded again, want the remembered one")
	}
	st.events[2].Reason = "edited"
	edited, err := src.Entries(ctx, 2, 1)
	if err != nil || len(edited) != 1 {
		t.Fatalf("Entries(2, 1) = %d, %v", len(edited), err)
	}
	want, _ := Entry(st.events[2])
	if !bytes.Equal(edited[0], want) || bytes.Equal(edited[0], first[2]) {
		t.Errorf("an edited event gave the remembered entry, want its own")
	}
}
