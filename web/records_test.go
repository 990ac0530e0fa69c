package web

import (
	"strings"
	"testing"
)

// TestBodyPageFiltersAndCategories: the body page filters its certificates
// by type and status and names its CCC categories.
func TestBodyPageFiltersAndCategories(t *testing.T) {
	f := newFixture(t)
	all := f.get("/bodies/" + bodyA).Body.String()
	for _, want := range []string{`<dt>指定的CCC产品类别（1）</dt><dd><span class="ident">0901</span> 微型计算机</dd>`,
		`<select id="b-type" name="type">`, `<select id="b-status" name="status">`, certQMS, certRev, certCCC} {
		if !strings.Contains(all, want) {
			t.Errorf("body page lacks %q", want)
		}
	}
	ems := f.get("/bodies/" + bodyA + "?type=EMS").Body.String()
	if !strings.Contains(ems, certRev) || strings.Contains(ems, certQMS) || !strings.Contains(ems, `<option value="EMS" selected>`) {
		t.Errorf("type=EMS: want only %s, with EMS selected", certRev)
	}
	valid := f.get("/bodies/" + bodyA + "?status=valid").Body.String()
	if !strings.Contains(valid, certQMS) || strings.Contains(valid, certRev) || strings.Contains(valid, ">"+certOld+"<") {
		t.Errorf("status=valid: want %s without the revoked and the expired", certQMS)
	}
	expired := f.get("/bodies/" + bodyA + "?status=expired").Body.String()
	if !strings.Contains(expired, certOld) || strings.Contains(expired, ">"+certQMS+"<") {
		t.Errorf("status=expired: want only %s", certOld)
	}
}

// TestEnglishNamesOnEnglishPages: where the registry has an English name,
// an English page leads with it and keeps the Chinese name secondary.
func TestEnglishNamesOnEnglishPages(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		path string
		want []string
	}{
		{"/orgs/" + string(haier) + "?lang=en", []string{`<h1>Haier Smart Home Co., Ltd.</h1><p lang="zh-Hans">海尔智家股份有限公司</p>`}},
		{"/bodies/" + bodyA + "?lang=en", []string{`<h1>China Certification Group</h1><p lang="zh-Hans">中认检测认证集团</p>`}},
		{"/certificates/" + certQMS + "?lang=en", []string{`Haier Smart Home Co., Ltd.</a> <span lang="zh-Hans">(海尔智家股份有限公司)</span>`,
			`China Certification Group</a> <span lang="zh-Hans">(中认检测认证集团)</span>`}},
		{"/orgs/" + string(haier), []string{`<h1>海尔智家股份有限公司</h1>`}},
		{"/orgs/" + string(xihu) + "?lang=en", []string{`<h1>杭州西湖精密机械有限公司</h1>`}},
	} {
		body := f.get(tt.path).Body.String()
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %q", tt.path, w)
			}
		}
	}
}
