package sqlstore_test

import (
	"testing"

	"trustmark/sqlstore"
	"trustmark/storetest"
)

func TestStatisticsSQLite(t *testing.T) {
	storetest.RunStatistics(t, func(t *testing.T) storetest.StatisticsStore { return openSQLite(t) })
}

func TestStatisticsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunStatistics(t, func(t *testing.T) storetest.StatisticsStore { return openPG(t) })
}

var _ storetest.StatisticsStore = (*sqlstore.DB)(nil)
