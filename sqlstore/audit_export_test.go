package sqlstore

import "context"

// StoredPhotos counts the photos whose bytes the store keeps: each
// content once, however many check-ins use it.
func (db *DB) StoredPhotos(ctx context.Context) (int, error) {
	var n int
	err := db.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM photos`).Scan(&n)
	return n, err
}
