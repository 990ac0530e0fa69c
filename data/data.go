// Package data holds the reference data Trustmark ships with, copied from
// public sources; reference/SOURCE.md names each file's source. Packages that
// need a table read it from Reference rather than embedding a copy of their
// own.
package data

import "embed"

// Reference is the reference/ folder: holiday notices, IAF MD 5 audit-time
// tables, supervision rules with their legal sources, recorded drand beacons
// and the RFC 3797 example.
//
//go:embed reference/*.json reference/*.csv reference/SOURCE.md
var Reference embed.FS
