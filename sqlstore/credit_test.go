package sqlstore_test

import (
	"testing"

	"trustmark/sqlstore"
	"trustmark/storetest"
)

var _ storetest.CreditStore = (*sqlstore.DB)(nil)

func TestCreditSQLite(t *testing.T) {
	storetest.RunCredit(t, func(t *testing.T) storetest.CreditStore { return openSQLite(t) })
}

func TestCreditPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunCredit(t, func(t *testing.T) storetest.CreditStore { return openPG(t) })
}
