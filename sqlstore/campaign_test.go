package sqlstore_test

import (
	"testing"

	"trustmark/sqlstore"
	"trustmark/storetest"
)

var _ storetest.CampaignStore = (*sqlstore.DB)(nil)

func TestCampaignsSQLite(t *testing.T) {
	storetest.RunCampaigns(t, func(t *testing.T) storetest.CampaignStore { return openSQLite(t) })
}

func TestCampaignsPostgres(t *testing.T) {
	pgDSN(t) // skip early
	storetest.RunCampaigns(t, func(t *testing.T) storetest.CampaignStore { return openPG(t) })
}
