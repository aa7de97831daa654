package server

import "github.com/ravao/ravao"

// exposureRoutes are the exposure windows: published by health officials
// (by hand, or from a case's visits), withdrawn with one button, and read
// by every visitor's phone, which matches them against its own history;
// and the messages queued for a case's close contacts.
func (s *Server) exposureRoutes() []Route {
	perm := ravao.PermTrace
	return []Route{
		page("GET", "/exposures", perm, s.exposuresList),
		page("POST", "/exposures", perm, s.exposurePublishSubmit),
		page("POST", "/exposures/{id}/withdraw", perm, s.exposureWithdrawSubmit),
		page("POST", "/cases/{id}/publish", perm, s.casePublishSubmit),
		page("POST", "/cases/{id}/notify", perm, s.caseNotifySubmit),

		api("GET", "/api/v1/exposures", Public, s.apiExposuresCurrent, exposuresCurrentDoc),
		api("POST", "/api/v1/exposures", perm, s.apiExposurePublish, exposurePublishDoc),
		api("GET", "/api/v1/exposures/manage", perm, s.apiExposuresManage, exposuresManageDoc),
		api("POST", "/api/v1/exposures/{id}/withdraw", perm, s.apiExposureWithdraw, exposureWithdrawDoc),
		api("POST", "/api/v1/cases/{id}/exposures", perm, s.apiCasePublish, casePublishDoc),
		api("POST", "/api/v1/cases/{id}/notify", perm, s.apiCaseNotify, caseNotifyDoc),
		api("GET", "/api/v1/cases/{id}/notifications", perm, s.apiCaseNotifications, caseNotificationsDoc),
	}
}
