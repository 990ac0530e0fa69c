package locale

import "testing"

func TestNegotiate(t *testing.T) {
	tests := []struct {
		param, accept, fallback string
		want                    string
		explicit                bool
	}{
		{"", "", Chinese, "zh", false},
		{"", "", English, "en", false},
		{"en", "zh-CN", Chinese, "en", true},
		{"zh", "en-US", English, "zh", true},
		{"zh-CN", "", English, "zh", true},
		{"EN", "", Chinese, "en", true},
		{"fr", "", Chinese, "zh", false},
		{"", "en-US,en;q=0.9", Chinese, "en", false},
		{"", "zh-CN,zh;q=0.9,en;q=0.8", English, "zh", false},
		{"", "fr-FR", English, "en", false},
		{"", "fr-FR", Chinese, "zh", false},
		{"", "zh-TW", English, "zh", false},
		{"", ";;;garbage", Chinese, "zh", false},
	}
	for _, tt := range tests {
		m, explicit := Negotiate(tt.param, tt.accept, tt.fallback)
		if m.Lang != tt.want || explicit != tt.explicit {
			t.Errorf("Negotiate(%q, %q, %s) = %s, %v; want %s, %v", tt.param, tt.accept, tt.fallback, m.Lang, explicit, tt.want, tt.explicit)
		}
	}
}

func FuzzNegotiate(f *testing.F) {
	f.Add("en", "zh-CN,zh;q=0.9")
	f.Add("", "en-US;q=0.5, *;q=0.1")
	f.Add("x-klingon", ";q=,,")
	f.Fuzz(func(t *testing.T, param, accept string) {
		m, explicit := Negotiate(param, accept, English)
		if m == nil || (m != zh && m != en) {
			t.Fatalf("Negotiate(%q, %q) = %v, want a catalogue", param, accept, m)
		}
		if explicit && param == "" {
			t.Fatalf("Negotiate(%q, %q) is explicit without a parameter", param, accept)
		}
	})
}
