package verify

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"trustmark"
)

// MaxItems is the most items one call may verify (CONTRACT.md).
const MaxItems = 1000

// Result is the answer for one item, in the shape of CONTRACT.md's
// POST /api/v1/verify. The fields after Reason are extensions.
type Result struct {
	Item  string `json:"item"`
	Found bool   `json:"found"`
	Kind  Kind   `json:"kind"`
	// Status is the effective status: a certificate's (expired by its date
	// even when the stored row still says valid), a body's or laboratory's
	// (a laboratory past its CMA validity is expired), a report's
	// conclusion (pass, fail). Empty when not found and for organisations,
	// which have no status of their own (see Certificates).
	Status string `json:"status"`
	Reason string `json:"reason"`

	Type         trustmark.CertType `json:"type,omitempty"`
	Name         string             `json:"name,omitempty"`       // holder, organisation, body or laboratory
	ExpiresOn    string             `json:"expires_on,omitempty"` // certificate expiry, laboratory CMA validity
	URL          string             `json:"url,omitempty"`        // the public page, relative to the site
	Certificates map[string]int     `json:"certificates,omitempty"`

	// Verdict is why an item was not found, as trustmark.Explain decided
	// it (the portal's not-found pages say the same); "" when found.
	Verdict trustmark.Verdict `json:"-"`
}

// Finder is the batch lookup verification needs: one query per kind per
// call instead of one per item. Each method returns the records that exist
// among the keys, in any order, and no error for keys that match nothing.
// sqlstore.DB implements it; NewStoreFinder adapts any trustmark.Store.
type Finder interface {
	// CertificatesByNumber returns every certificate, of any type, whose
	// number is one of numbers, with HolderName and BodyName filled.
	CertificatesByNumber(ctx context.Context, numbers []string) ([]*trustmark.Certificate, error)
	OrgsByUSCC(ctx context.Context, usccs []trustmark.USCC) ([]*trustmark.Org, error)
	LabsByCMANo(ctx context.Context, cmaNos []string) ([]*trustmark.Lab, error)
	// ReportsByKey returns the reports with the given keys "CMA_NO/NUMBER".
	ReportsByKey(ctx context.Context, keys []string) ([]*trustmark.Report, error)
	// CertificateCounts counts the certificates of each holder by their
	// effective status on today.
	CertificateCounts(ctx context.Context, holders []trustmark.USCC, today trustmark.Date) (map[trustmark.USCC]map[trustmark.CertStatus]int, error)
}

// Service verifies items against the registry. It is safe for concurrent
// use.
type Service struct {
	find   Finder
	bodies *bodyCache
	clock  trustmark.Clock
	log    *slog.Logger
}

// Config configures a Service.
type Config struct {
	Store trustmark.Store
	// Finder does the batch lookups; when nil, Store is used if it
	// implements Finder, else one lookup per item (NewStoreFinder).
	Finder Finder
	Clock  trustmark.Clock // default time.Now
	// BodyTTL is how long the list of certification bodies (used to explain
	// unknown numbers) is kept before it is read again; default one minute.
	BodyTTL time.Duration
	Logger  *slog.Logger
}

// New returns a Service.
func New(cfg Config) *Service {
	s := &Service{find: cfg.Finder, clock: cfg.Clock, log: cfg.Logger}
	if s.find == nil {
		if f, ok := cfg.Store.(Finder); ok {
			s.find = f
		} else {
			s.find = NewStoreFinder(cfg.Store)
		}
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	ttl := cfg.BodyTTL
	if ttl <= 0 {
		ttl = time.Minute
	}
	s.bodies = &bodyCache{store: cfg.Store, ttl: ttl, clock: s.clock}
	return s
}

// Verify answers each item in order. It fails only when the store does; a
// malformed or unknown item is an answer, not an error. Callers bound the
// number of items (MaxItems for the API).
func (s *Service) Verify(ctx context.Context, items []string, lang Lang) ([]Result, error) {
	today := trustmark.DateOf(s.clock())
	ids := make([]trustmark.Identity, len(items))
	var (
		certNos, cmaNos, reportKeys []string
		usccs                       []trustmark.USCC
	)
	seen := map[string]bool{}
	add := func(list *[]string, prefix, v string) {
		if k := prefix + v; !seen[k] {
			seen[k] = true
			*list = append(*list, v)
		}
	}
	for i, raw := range items {
		id := trustmark.Identify(raw)
		ids[i] = id
		if n := certNumberOf(id); n != "" {
			add(&certNos, "c:", string(n))
		}
		if id.Err != nil {
			continue
		}
		switch id.Kind {
		case trustmark.IDUSCC:
			if !seen["o:"+string(id.USCC)] {
				seen["o:"+string(id.USCC)] = true
				usccs = append(usccs, id.USCC)
			}
		case trustmark.IDCMANo:
			add(&cmaNos, "l:", string(id.CMANo))
		case trustmark.IDReport:
			add(&cmaNos, "l:", string(id.CMANo))
			add(&reportKeys, "r:", id.Report.String())
		}
	}

	f, err := s.lookup(ctx, today, certNos, usccs, cmaNos, reportKeys)
	if err != nil {
		return nil, err
	}
	a := answerer{lang: lang, today: today, bodies: f.bodies}
	out := make([]Result, len(items))
	for i, id := range ids {
		r := Result{Item: id.Input, Kind: KindOf(id)}
		cs := certificatesOf(id, f.certs[string(certNumberOf(id))])
		wellFormed := id.Err == nil
		switch {
		case wellFormed && id.Kind == trustmark.IDUSCC && f.orgs[id.USCC] != nil:
			a.org(&r, f.orgs[id.USCC], f.counts[id.USCC])
		case wellFormed && id.Kind == trustmark.IDCMANo && f.labs[string(id.CMANo)] != nil:
			a.lab(&r, f.labs[string(id.CMANo)])
		case wellFormed && id.Kind == trustmark.IDReport && f.reports[id.Report.String()] != nil:
			a.report(&r, f.reports[id.Report.String()], f.labs[string(id.CMANo)])
		case wellFormed && id.Kind == trustmark.IDApprovalNo && f.bodies.byNo[string(id.ApprovalNo)] != nil:
			a.body(&r, f.bodies.byNo[string(id.ApprovalNo)])
		case len(cs) > 0:
			r.Kind = KindCertificate
			a.certificate(&r, cs)
		default:
			var lab *trustmark.Lab
			if wellFormed {
				lab = f.labs[string(id.CMANo)]
			}
			a.notFound(&r, id, trustmark.Explain(id, f.bodies.list, lab))
		}
		out[i] = r
	}
	return out, nil
}

// certNumberOf is the certificate number an item may be, in canonical form
// (one probe: the store keeps numbers so), or "".
func certNumberOf(id trustmark.Identity) trustmark.CertNumber {
	if id.Kind == trustmark.IDCertKey && id.Err == nil {
		return id.Key.Number
	}
	return id.CertNumber
}

// certificatesOf keeps, of the certificates with an item's number, those
// of the key's type when the item is a key.
func certificatesOf(id trustmark.Identity, cs []*trustmark.Certificate) []*trustmark.Certificate {
	if id.Kind != trustmark.IDCertKey {
		return cs
	}
	for _, c := range cs {
		if c.Type == id.Key.Type {
			return []*trustmark.Certificate{c}
		}
	}
	return nil
}

// found is what the batch lookups of one call found.
type found struct {
	certs   map[string][]*trustmark.Certificate // by number, in CertTypes order
	orgs    map[trustmark.USCC]*trustmark.Org
	counts  map[trustmark.USCC]map[trustmark.CertStatus]int
	labs    map[string]*trustmark.Lab
	reports map[string]*trustmark.Report // by Key
	bodies  *bodyIndex
}

// lookup runs the batch lookups of one call concurrently: they are
// independent, and on PostgreSQL each is a round trip.
func (s *Service) lookup(ctx context.Context, today trustmark.Date, certNos []string, usccs []trustmark.USCC, cmaNos, reportKeys []string) (*found, error) {
	f := &found{certs: map[string][]*trustmark.Certificate{}, orgs: map[trustmark.USCC]*trustmark.Org{},
		labs: map[string]*trustmark.Lab{}, reports: map[string]*trustmark.Report{}}
	g, ctx := errgroup.WithContext(ctx)
	if len(certNos) > 0 {
		g.Go(func() error {
			list, err := s.find.CertificatesByNumber(ctx, certNos)
			if err != nil {
				return fmt.Errorf("verify: certificates: %w", err)
			}
			for _, c := range list {
				f.certs[c.Number] = append(f.certs[c.Number], c)
			}
			for _, cs := range f.certs {
				slices.SortFunc(cs, func(a, b *trustmark.Certificate) int {
					return slices.Index(trustmark.CertTypes, a.Type) - slices.Index(trustmark.CertTypes, b.Type)
				})
			}
			return nil
		})
	}
	if len(usccs) > 0 {
		g.Go(func() error {
			list, err := s.find.OrgsByUSCC(ctx, usccs)
			if err != nil {
				return fmt.Errorf("verify: orgs: %w", err)
			}
			known := make([]trustmark.USCC, 0, len(list))
			for _, o := range list {
				f.orgs[o.USCC] = o
				known = append(known, o.USCC)
			}
			if len(known) > 0 {
				if f.counts, err = s.find.CertificateCounts(ctx, known, today); err != nil {
					return fmt.Errorf("verify: certificate counts: %w", err)
				}
			}
			return nil
		})
	}
	if len(cmaNos) > 0 {
		g.Go(func() error {
			list, err := s.find.LabsByCMANo(ctx, cmaNos)
			if err != nil {
				return fmt.Errorf("verify: labs: %w", err)
			}
			for _, l := range list {
				f.labs[l.CMANo] = l
			}
			return nil
		})
	}
	if len(reportKeys) > 0 {
		g.Go(func() error {
			list, err := s.find.ReportsByKey(ctx, reportKeys)
			if err != nil {
				return fmt.Errorf("verify: reports: %w", err)
			}
			for _, r := range list {
				f.reports[r.Key()] = r
			}
			return nil
		})
	}
	g.Go(func() error {
		var err error
		if f.bodies, err = s.bodies.get(ctx); err != nil {
			return fmt.Errorf("verify: bodies: %w", err)
		}
		return nil
	})
	return f, g.Wait()
}

// answerer writes the found/status/reason of results.
type answerer struct {
	lang   Lang
	today  trustmark.Date
	bodies *bodyIndex
}

func (a answerer) certificate(r *Result, cs []*trustmark.Certificate) {
	c := cs[0]
	st, since := c.EffectiveStatus(a.today)
	r.Found, r.Status, r.Type = true, string(st), c.Type
	r.Name, r.ExpiresOn = c.HolderName, c.ExpiresOn.String()
	r.URL = "/certificates/" + url.PathEscape(c.Number)
	l := a.lang
	var why string
	switch st {
	case trustmark.StatusValid:
		why = l.f("valid until %s", "有效，有效期至%s", c.ExpiresOn)
	case trustmark.StatusSuspended:
		why = l.f("suspended since %s (expires %s)", "暂停，自%s起（有效期至%s）", since, c.ExpiresOn)
	case trustmark.StatusRevoked:
		why = l.f("revoked on %s", "已于%s撤销", since)
	case trustmark.StatusWithdrawn:
		why = l.f("withdrawn on %s", "已于%s注销", since)
	case trustmark.StatusExpired:
		why = l.f("expired on %s", "已于%s过期失效", since)
	}
	who := c.HolderName
	if who == "" {
		who = string(c.HolderUSCC)
	}
	by := c.BodyName
	if by == "" {
		by = c.BodyApprovalNo
	}
	why += l.f("; %s certificate of %s issued by %s", "；%s证书，持有者%s，发证机构%s", c.Type, who, by)
	if b := a.bodies.byNo[c.BodyApprovalNo]; c.BodyStatus == "" && b != nil {
		c.BodyStatus, c.BodyStatusSince = b.Status, b.StatusSince // a finder that reads certificates without their body's standing
	}
	if standing := c.Standing(a.today); standing.IssuerWarning {
		why += l.f("; the issuing body's approval is %s since %s", "；发证机构的批准资格自%[2]s起%[1]s", partyWord(l, standing.IssuerStatus), standing.IssuerSince)
	}
	if len(cs) > 1 {
		why += l.f("; %d other certificate(s) of other types share this number", "；另有%d张其他类型证书使用同一编号", len(cs)-1)
	}
	r.Reason = why
}

func (a answerer) org(r *Result, o *trustmark.Org, counts map[trustmark.CertStatus]int) {
	r.Found, r.Name = true, o.Name
	r.URL = "/orgs/" + url.PathEscape(string(o.USCC))
	total := 0
	var parts []string
	for _, st := range trustmark.CertStatuses {
		if n := counts[st]; n > 0 {
			if r.Certificates == nil {
				r.Certificates = map[string]int{}
			}
			r.Certificates[string(st)] = n
			total += n
			parts = append(parts, a.lang.f("%d %s", "%[2]s%[1]d张", n, statusWord(a.lang, st)))
		}
	}
	if total == 0 {
		r.Reason = a.lang.f("registered organisation %s; it holds no certificate", "已登记的组织%s；未持有证书", o.Name)
		return
	}
	r.Reason = a.lang.f("organisation %s holds %d certificate(s): %s", "组织%s持有证书%d张：%s", o.Name, total, strings.Join(parts, a.lang.f(", ", "，")))
}

func (a answerer) lab(r *Result, l *trustmark.Lab) {
	r.Found, r.Name, r.Status = true, l.Name, string(l.Status)
	r.URL = "/labs/" + url.PathEscape(l.CMANo)
	r.ExpiresOn = l.ValidUntil.String()
	switch {
	case l.Status == trustmark.PartyActive && !l.ValidUntil.IsZero() && !a.today.Before(l.ValidUntil):
		r.Status = string(trustmark.StatusExpired)
		r.Reason = a.lang.f("laboratory %s: CMA accreditation expired on %s", "检验检测机构%s：资质认定已于%s到期", l.Name, l.ValidUntil)
	case l.Status == trustmark.PartyActive && !l.ValidUntil.IsZero():
		r.Reason = a.lang.f("laboratory %s: CMA accreditation active, valid until %s", "检验检测机构%s：资质认定有效，有效期至%s", l.Name, l.ValidUntil)
	case l.Status == trustmark.PartyActive:
		r.Reason = a.lang.f("laboratory %s: CMA accreditation active", "检验检测机构%s：资质认定有效", l.Name)
	default:
		r.Reason = a.lang.f("laboratory %s: CMA accreditation %s since %s", "检验检测机构%s：资质认定%s（自%s起）", l.Name, partyWord(a.lang, l.Status), l.StatusSince)
	}
}

func (a answerer) report(r *Result, rep *trustmark.Report, lab *trustmark.Lab) {
	r.Found, r.Status = true, string(rep.Conclusion)
	r.URL = "/reports/" + url.PathEscape(rep.LabCMANo) + "/" + url.PathEscape(rep.Number)
	labName := rep.LabName
	if labName == "" && lab != nil {
		labName = lab.Name
	}
	r.Name = labName
	concl := a.lang.f("pass", "合格")
	if rep.Conclusion == trustmark.ConclusionFail {
		concl = a.lang.f("fail", "不合格")
	}
	r.Reason = a.lang.f("test report on %s by %s, issued %s, conclusion: %s", "检验检测报告：%s，%s出具，日期%s，结论：%s", rep.Product, labName, rep.IssuedOn, concl)
	if rep.LabStatus == "" && lab != nil {
		rep.LabStatus, rep.LabStatusSince = lab.Status, lab.StatusSince
	}
	if standing := rep.Standing(); standing.IssuerWarning {
		r.Reason += a.lang.f("; the laboratory's CMA accreditation is now %s", "；该机构资质认定现为%s状态", partyWord(a.lang, standing.IssuerStatus))
	}
}

func (a answerer) body(r *Result, b *trustmark.Body) {
	r.Found, r.Name, r.Status = true, b.Name, string(b.Status)
	r.URL = "/bodies/" + url.PathEscape(b.ApprovalNo)
	scopes := make([]string, len(b.Scopes))
	for i, t := range b.Scopes {
		scopes[i] = string(t)
	}
	if b.Status == trustmark.PartyActive {
		r.Reason = a.lang.f("certification body %s, approved for %s", "认证机构%s，批准范围%s", b.Name, strings.Join(scopes, ", "))
		return
	}
	r.Reason = a.lang.f("certification body %s: approval %s since %s", "认证机构%s：批准资格%s（自%s起）", b.Name, partyWord(a.lang, b.Status), b.StatusSince)
}

// notFound says why an item matched nothing, as trustmark.Explain
// decided: malformed (which rule), no issuer that could have issued it, or
// well-formed but not in the registry.
func (a answerer) notFound(r *Result, id trustmark.Identity, e trustmark.Explanation) {
	l := a.lang
	r.Verdict = e.Verdict
	switch e.Verdict {
	case trustmark.VerdictText:
		r.Reason = trustmark.ErrorMessage(e.Err)
		if id.Err == nil {
			r.Reason += l.f(" (search names on the home page)", "（名称请在首页搜索）")
		}
		return
	case trustmark.VerdictMalformed:
		r.Reason = l.f("malformed: %s", "格式错误：%s", trustmark.ErrorMessage(e.Err))
		return
	}
	switch id.Kind {
	case trustmark.IDUSCC:
		r.Reason = l.f("well-formed unified social credit code, but no organisation with it is in the registry (it may hold no certificate)",
			"统一社会信用代码格式正确，但登记簿中没有该组织（可能未持有任何证书）")
	case trustmark.IDCMANo:
		r.Reason = l.f("well-formed CMA number, but no laboratory or certificate with it is in the registry",
			"资质认定证书编号格式正确，但登记簿中没有该检验检测机构或证书")
	case trustmark.IDReport:
		if e.Lab == nil {
			r.Reason = l.f("no laboratory with CMA number %s is in the registry, so the report cannot be verified",
				"登记簿中没有资质认定编号为%s的检验检测机构，无法核实该报告", id.CMANo)
			return
		}
		r.Reason = l.f("laboratory %s (CMA %s, %s) has no report %s in the registry", "检验检测机构%s（资质认定编号%s，%s）在登记簿中没有编号为%s的报告",
			e.Lab.Name, e.Lab.CMANo, partyWord(l, e.Lab.Status), id.Report.Number) + a.lastSubmission(e.Lab.LastSubmission)
	case trustmark.IDApprovalNo:
		r.Reason = l.f("well-formed approval number, but no certification body with it is in the registry",
			"批准号格式正确，但登记簿中没有该认证机构")
	case trustmark.IDOrganicCode:
		r.Reason = a.organicCode(id, e)
	default:
		r.Reason = a.unknownCertificate(id, e)
	}
}

func (a answerer) organicCode(id trustmark.Identity, e trustmark.Explanation) string {
	l := a.lang
	why := l.f("organic label codes (有机码) are not held by Trustmark; check the code at food.cnca.cn",
		"Trustmark不保存有机码，请在中国食品农产品认证信息系统（food.cnca.cn）查询")
	prefix := string(id.OrganicCode[:3])
	switch {
	case len(e.Bodies) > 0:
		why += l.f("; its prefix %s is the code of %s", "；前缀%s对应认证机构%s", prefix, a.bodyList(e.Bodies, trustmark.TypeOrganic))
	case e.Foreign():
		why += l.f("; prefix %s marks a foreign-invested certification body, and none with serial %s is in the registry",
			"；前缀%s表示外资认证机构，登记簿中没有序号为%s的外资认证机构", prefix, e.BodyCode[1:])
	default:
		why += l.f("; its prefix %s matches no certification body in the registry (a genuine code starts with the last three digits of its body's approval number)",
			"；前缀%s与登记簿中任何认证机构都不对应（真实有机码以发证机构批准号的后三位开头）", prefix)
	}
	return why
}

func (a answerer) unknownCertificate(id trustmark.Identity, e trustmark.Explanation) string {
	l := a.lang
	switch {
	case e.CCCCategory != "":
		why := l.f("well-formed CCC certificate number, but not in the registry", "CCC证书编号格式正确，但登记簿中没有该证书")
		if len(e.Bodies) == 0 {
			return why + l.f("; no certification body in the registry is designated for its product category %s (positions 7-10) under its body code %s (positions 5-6)",
				"；登记簿中没有以机构代码%[2]s（第5-6位）承担其产品类别%[1]s（第7-10位）的认证机构", e.CCCCategory, certNumberOf(id)[4:6])
		}
		return why + l.f("; bodies designated for its product category %s: %s", "；承担产品类别%s的认证机构：%s", e.CCCCategory, a.bodyList(e.Bodies, trustmark.TypeCCC))
	case e.BodyCode != "":
		why := l.f("well-formed organic certificate number, but not in the registry", "有机产品认证证书编号格式正确，但登记簿中没有该证书")
		if len(e.Bodies) == 0 {
			return why + l.f("; its body code %s matches no certification body in the registry", "；其机构代码%s与登记簿中任何认证机构都不对应", e.BodyCode)
		}
		return why + l.f("; its body code %s is %s", "；其机构代码%s对应%s", e.BodyCode, a.bodyList(e.Bodies, trustmark.TypeOrganic))
	}
	return l.f("no certificate with this number is in the registry (numbers of this type are set by the issuing body: ask it, or search the holder's name)",
		"登记簿中没有该编号的证书（此类证书编号由认证机构自行编制，请向发证机构核实，或按持证组织名称查询）")
}

// bodyList names up to three bodies with when each last sent data, so a
// reader can tell "not yet reported" from "not genuine".
func (a answerer) bodyList(bs []*trustmark.Body, t trustmark.CertType) string {
	var parts []string
	for i, b := range bs {
		if i == 3 {
			parts = append(parts, a.lang.f("and %d more", "等%d家", len(bs)-3))
			break
		}
		p := b.Name + " (" + b.ApprovalNo
		if a.lang == Chinese {
			p = b.Name + "（" + b.ApprovalNo
		}
		if b.Status != trustmark.PartyActive {
			p += a.lang.f(", %s", "，%s", partyWord(a.lang, b.Status))
		} else if !slices.Contains(b.Scopes, t) {
			p += a.lang.f(", not approved for %s", "，未获批%s认证", t)
		}
		if !b.LastSubmission.IsZero() {
			p += a.lang.f(", last submitted data on %s", "，最近一次报送数据于%s", trustmark.DateOf(b.LastSubmission))
		} else {
			p += a.lang.f(", has never submitted data", "，尚未报送过数据")
		}
		parts = append(parts, p+a.lang.f(")", "）"))
	}
	return strings.Join(parts, a.lang.f("; ", "；"))
}

func (a answerer) lastSubmission(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return a.lang.f("; it last submitted data on %s", "；该机构最近一次报送数据于%s", trustmark.DateOf(t))
}
