package http

import (
	nethttp "net/http"
	"strings"

	"trustmark"
)

// BearerToken returns the token of an "Authorization: Bearer TOKEN" header,
// and whether there was one.
func BearerToken(r *nethttp.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// authenticate returns the party of the request's bearer token, or an
// unauthorized error saying what is wrong.
func (s *Server) authenticate(r *nethttp.Request) (trustmark.Party, error) {
	token, ok := BearerToken(r)
	if !ok {
		if r.Header.Get("Authorization") != "" {
			return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "the Authorization header must be \"Bearer TOKEN\"")
		}
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "this request needs an API token: send \"Authorization: Bearer TOKEN\" (tokens are made with `trustmark token create`)")
	}
	if len(token) > 512 {
		return trustmark.Party{}, trustmark.Errorf(trustmark.EUnauthorized, "", "the API token is not valid")
	}
	p, err := s.cfg.Store.Authenticate(r.Context(), token)
	if err != nil {
		return trustmark.Party{}, err
	}
	if info := infoOf(r); info != nil {
		info.actor = p.String()
	}
	return p, nil
}
