package credit

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"trustmark"
)

// File is a document a party files as evidence with an application for
// credit repair.
type File struct {
	Name string
	Data []byte
}

// MaxEvidenceBytes bounds one evidence file.
const MaxEvidenceBytes = 5 << 20

// SHA256 is the hex SHA-256 of the file's contents, by which it is stored.
func (f File) SHA256() string {
	sum := sha256.Sum256(f.Data)
	return hex.EncodeToString(sum[:])
}

// Ref is how an application's evidence names the file: "file:SHA256:NAME".
func (f File) Ref() string { return "file:" + f.SHA256() + ":" + f.Name }

// ParseRef reads a reference Ref made, and false for evidence given as text.
func ParseRef(ref string) (sha, name string, ok bool) {
	rest, ok := strings.CutPrefix(ref, "file:")
	if !ok {
		return "", "", false
	}
	sha, name, ok = strings.Cut(rest, ":")
	return sha, name, ok && len(sha) == 64
}

// CheckFile refuses an empty file, one over MaxEvidenceBytes, or one
// without a name.
func CheckFile(f File) error {
	switch {
	case len(f.Data) == 0 || strings.TrimSpace(f.Name) == "":
		return trustmark.Invalidf("credit.evidence_file", "file", "an evidence file needs a name and contents")
	case len(f.Data) > MaxEvidenceBytes:
		return trustmark.Invalidf("credit.evidence_size", "file", "an evidence file is at most %d bytes", MaxEvidenceBytes)
	}
	return nil
}
