package verify

import (
	"fmt"
	"strings"

	"trustmark"
)

// Lang is the language of reasons and pages.
type Lang string

// Languages: Chinese is the default of the pages, English of the API.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang picks the language of a request: an explicit lang parameter
// ("en", "zh") wins, then the first of Accept-Language that is English or
// Chinese, then def.
func ParseLang(param, acceptLanguage string, def Lang) Lang {
	switch strings.ToLower(param) {
	case "en":
		return English
	case "zh", "zh-cn", "cn":
		return Chinese
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(tag)
		switch {
		case strings.HasPrefix(tag, "zh"):
			return Chinese
		case strings.HasPrefix(tag, "en"):
			return English
		}
	}
	return def
}

// f formats the English or the Chinese text; both take the same arguments.
func (l Lang) f(en, zh string, args ...any) string {
	format := en
	if l == Chinese {
		format = zh
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

func statusWord(l Lang, s trustmark.CertStatus) string {
	if l != Chinese {
		return string(s)
	}
	switch s {
	case trustmark.StatusValid:
		return "有效"
	case trustmark.StatusSuspended:
		return "暂停"
	case trustmark.StatusRevoked:
		return "撤销"
	case trustmark.StatusWithdrawn:
		return "注销"
	case trustmark.StatusExpired:
		return "过期失效"
	}
	return string(s)
}

func partyWord(l Lang, s trustmark.PartyStatus) string {
	if l != Chinese {
		return string(s)
	}
	switch s {
	case trustmark.PartyActive:
		return "有效"
	case trustmark.PartySuspended:
		return "暂停"
	case trustmark.PartyRevoked:
		return "撤销"
	case trustmark.PartyBanned:
		return "禁入"
	}
	return string(s)
}

func kindWord(l Lang, k Kind) string {
	if l != Chinese {
		return string(k)
	}
	switch k {
	case KindCertificate:
		return "证书"
	case KindOrg:
		return "组织"
	case KindOrganicCode:
		return "有机码"
	case KindReport:
		return "检验检测报告"
	case KindBody:
		return "认证机构"
	case KindLab:
		return "检验检测机构"
	}
	return "无法识别"
}

// displayStatus is a result's status for people: translated, "registered"
// for an organisation, "" when not found.
func displayStatus(l Lang, r Result) string {
	switch {
	case !r.Found:
		return ""
	case r.Kind == KindCertificate || r.Status == string(trustmark.StatusExpired):
		return statusWord(l, trustmark.CertStatus(r.Status))
	case r.Kind == KindBody || r.Kind == KindLab:
		return partyWord(l, trustmark.PartyStatus(r.Status))
	case r.Kind == KindOrg:
		return l.f("registered", "已登记")
	case r.Kind == KindReport && r.Status == string(trustmark.ConclusionFail):
		return l.f("fail", "不合格")
	case r.Kind == KindReport:
		return l.f("pass", "合格")
	}
	return r.Status
}
