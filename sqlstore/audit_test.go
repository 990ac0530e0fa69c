package sqlstore_test

import (
	"testing"

	"trustmark/sqlstore"
	"trustmark/storetest"
)

var _ storetest.AuditStore = (*sqlstore.DB)(nil)

func TestAuditsSQLite(t *testing.T) {
	storetest.RunAudits(t, func(t *testing.T) storetest.AuditStore { return openSQLite(t) })
}

func TestAuditsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunAudits(t, func(t *testing.T) storetest.AuditStore { return openPG(t) })
}
