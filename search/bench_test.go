package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"trustmark"
)

// The national-shape benchmark builds (once per index version) an index of
// 940,000 organisations and 3.4 million certificates, names and numbers
// only, in $TRUSTMARK_SEARCH_BENCH_DIR (default
// bench/out/search-national-940000-v<indexVersion>) and then measures query
// latency. TRUSTMARK_SEARCH_BENCH_ORGS scales it down.
//
//	go test ./search -run '^$' -bench National -benchtime 2000x -timeout 2h

var (
	brandChars    = []rune("海华美格力康威达金鑫隆盛泰恒通宏远利丰源祥瑞鼎信诚安和顺兴旺嘉宝立德新天光明星辉正中国联创科智博晨阳")
	industries    = []string{"电子科技", "机械制造", "食品", "生物医药", "建设工程", "纺织", "化工", "新材料", "电气", "汽车零部件", "环保科技", "信息技术", "农业发展", "物流", "家具", "服装", "塑料制品", "精密机械", "光电", "医疗器械", "电器", "建材", "包装", "检测技术", "软件", "能源", "茶业", "酒业", "陶瓷", "钢铁"}
	forms         = []string{"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"}
	benchCertType = []trustmark.CertType{trustmark.TypeQMS, trustmark.TypeEMS, trustmark.TypeOHSMS, trustmark.TypeCCC, trustmark.TypeProduct}
)

type benchOrg struct{ name, city, brand, industry, region string }

func benchCities() (names, codes []string) {
	for _, r := range trustmark.DefaultRegions().All() {
		if r.Level == 2 && strings.HasSuffix(r.Name, "市") && r.Name != "市辖区" {
			names = append(names, strings.TrimSuffix(r.Name, "市"))
			codes = append(codes, r.Code)
		}
	}
	return names, codes
}

func genOrg(rng *rand.Rand, cities, codes []string) benchOrg {
	i := rng.IntN(len(cities))
	b := string([]rune{brandChars[rng.IntN(len(brandChars))], brandChars[rng.IntN(len(brandChars))]})
	ind := industries[rng.IntN(len(industries))]
	return benchOrg{name: cities[i] + b + ind + forms[rng.IntN(len(forms))], city: cities[i], brand: b, industry: ind, region: codes[i]}
}

func benchScale() (orgs, certs int) {
	orgs, certs = 940_000, 3_400_000
	if v, err := strconv.Atoi(os.Getenv("TRUSTMARK_SEARCH_BENCH_ORGS")); err == nil && v > 0 {
		certs = int(int64(v) * int64(certs) / int64(orgs))
		orgs = v
	}
	return orgs, certs
}

// buildNational creates the benchmark index unless it already exists.
func buildNational(b *testing.B) *Index {
	dir := os.Getenv("TRUSTMARK_SEARCH_BENCH_DIR")
	nOrgs, nCerts := benchScale()
	if dir == "" {
		dir = filepath.Join("..", "bench", "out", fmt.Sprintf("search-national-%d-v%s", nOrgs, indexVersion))
	}
	ix, err := Open(dir) // an index of another version opens empty
	if err != nil {
		b.Fatal(err)
	}
	if n, err := ix.Count(); err != nil || n > 0 {
		return ix
	}
	cities, codes := benchCities()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	var batch []Doc
	flush := func() {
		if err := ix.Put(batch...); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	certsPerOrg := float64(nCerts) / float64(nOrgs)
	made := 0
	for i := 0; i < nOrgs; i++ {
		o := genOrg(rng, cities, codes)
		uscc := fmt.Sprintf("91%s%08X", o.region, i)
		batch = append(batch, Doc{Kind: KindOrg, Number: uscc, Name: o.name, Region: o.region})
		for made < int(float64(i+1)*certsPerOrg) {
			t := benchCertType[made%len(benchCertType)]
			batch = append(batch, Doc{Kind: KindCertificate, Number: fmt.Sprintf("%03dQ%08d", made%997, made), Type: t,
				Name: o.name, Status: "valid", Region: o.region, ExpiresOn: trustmark.NewDate(2027, 1, 1+made%28)})
			made++
		}
		if len(batch) >= 10000 {
			flush()
			if i%100_000 < 3000 {
				fmt.Fprintf(os.Stderr, "built %d orgs, %d certificates in %s\n", i+1, made, time.Since(start).Round(time.Second))
			}
		}
	}
	flush()
	b.Logf("built %d orgs + %d certificates in %s", nOrgs, made, time.Since(start).Round(time.Second))
	return ix
}

func benchQueries(n int) (map[string][]string, error) {
	cities, codes := benchCities()
	rng := rand.New(rand.NewPCG(7, 8))
	qs := map[string][]string{}
	for i := 0; i < n; i++ {
		o := genOrg(rng, cities, codes)
		qs["brand (2 characters)"] = append(qs["brand (2 characters)"], o.brand)
		qs["city + brand"] = append(qs["city + brand"], o.city+o.brand)
		qs["brand + industry, out of order"] = append(qs["brand + industry, out of order"], o.industry+" "+o.brand)
		qs["full name, traditional"] = append(qs["full name, traditional"], toTraditional(o.name))
		qs["city only (worst case)"] = append(qs["city only (worst case)"], o.city)
	}
	return qs, nil
}

// cpuTime is the CPU time (user and system) the process has used so far: on
// a machine shared with other jobs, latency percentiles measure the
// neighbours too, CPU per query does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func toTraditional(s string) string {
	rev := map[rune]rune{}
	for k, v := range t2s {
		rev[v] = k
	}
	return strings.Map(func(r rune) rune {
		if t, ok := rev[r]; ok {
			return t
		}
		return r
	}, s)
}

func BenchmarkSearchNational(b *testing.B) {
	ix := buildNational(b)
	defer ix.Close()
	n, _ := ix.Count()
	b.Logf("index holds %d documents", n)
	qs, _ := benchQueries(400)
	ctx := context.Background()
	kinds := []string{"brand (2 characters)", "city + brand", "brand + industry, out of order", "full name, traditional", "city only (worst case)"}
	for _, kind := range kinds {
		b.Run(strings.NewReplacer(" ", "_", ",", "", "(", "", ")", "").Replace(kind), func(b *testing.B) {
			list := qs[kind]
			var lat []time.Duration
			results := make([]*Result, 0, b.N)
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				r, err := ix.Search(ctx, Query{Text: list[i%len(list)], Today: today})
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				results = append(results, r)
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			if kind == "brand (2 characters)" {
				// Ranking: the share of the first page whose name, after
				// its city, starts with the brand (the rest contain its
				// two characters elsewhere, e.g. across the city: 金华|泰…).
				brandFirst, hits := 0, 0
				for i, r := range results {
					for _, h := range r.Hits {
						_, _, lead := nameParts(h.Name)
						if len(lead) > 0 && lead[0] == list[i%len(list)] {
							brandFirst++
						}
						hits++
					}
				}
				b.ReportMetric(100*float64(brandFirst)/float64(max(hits, 1)), "brand-first-%")
			}
		})
	}
}
