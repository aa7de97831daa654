package server

import (
	"strconv"

	"github.com/ravao/ravao"
)

// caseRoutes are the health officials' pages and API for cases, contacts
// and exports. Ids in paths are opaque numbers; phones and ID numbers
// travel only in bodies.
func (s *Server) caseRoutes() []Route {
	perm := ravao.PermTrace
	return []Route{
		page("GET", "/cases", perm, s.casesList),
		page("POST", "/cases", perm, s.caseOpenSubmit),
		page("GET", "/cases/{id}", perm, s.caseShow),
		page("POST", "/cases/{id}", perm, s.caseUpdateSubmit),
		page("POST", "/cases/{id}/trace", perm, s.caseTraceSubmit),
		page("POST", "/cases/{id}/expand", perm, s.caseExpandSubmit),
		page("POST", "/cases/{id}/exports", perm, s.exportRequestSubmit),
		page("GET", "/contacts/{id}", perm, s.contactShow),
		page("POST", "/contacts/{id}", perm, s.contactUpdateSubmit),
		page("POST", "/contacts/{id}/promote", perm, s.contactPromoteSubmit),
		page("GET", "/exports/{id}", perm, s.exportShow),
		page("POST", "/exports/{id}/approve", perm, s.exportApproveSubmit),
		page("GET", "/exports/{id}/file", perm, s.exportFile),

		api("POST", "/api/v1/cases", perm, s.apiCaseOpen, caseOpenDoc),
		api("GET", "/api/v1/cases", perm, s.apiCasesList, casesListDoc),
		api("GET", "/api/v1/cases/{id}", perm, s.apiCaseShow, caseShowDoc),
		api("PATCH", "/api/v1/cases/{id}", perm, s.apiCaseUpdate, caseUpdateDoc),
		api("GET", "/api/v1/cases/{id}/exposures", perm, s.apiCaseExposures, caseExposuresDoc),
		api("POST", "/api/v1/cases/{id}/trace", perm, s.apiCaseTrace, caseTraceDoc),
		api("GET", "/api/v1/cases/{id}/contacts", perm, s.apiCaseContacts, caseContactsDoc),
		api("POST", "/api/v1/cases/{id}/expand", perm, s.apiCaseExpand, caseExpandDoc),
		api("GET", "/api/v1/contacts/{id}", perm, s.apiContactShow, contactShowDoc),
		api("PATCH", "/api/v1/contacts/{id}", perm, s.apiContactUpdate, contactUpdateDoc),
		api("POST", "/api/v1/contacts/{id}/promote", perm, s.apiContactPromote, contactPromoteDoc),
		api("POST", "/api/v1/cases/{id}/exports", perm, s.apiExportRequest, exportRequestDoc),
		api("GET", "/api/v1/cases/{id}/exports", perm, s.apiExportsList, exportsListDoc),
		api("POST", "/api/v1/exports/{id}/approve", perm, s.apiExportApprove, exportApproveDoc),
		api("GET", "/api/v1/exports/{id}/file", perm, s.apiExportFile, exportFileDoc),
	}
}

// caseURL is the path of a case's page.
func caseURL(id int64) string { return "/cases/" + strconv.FormatInt(id, 10) }

// contactURL is the path of a contact's page.
func contactURL(id int64) string { return "/contacts/" + strconv.FormatInt(id, 10) }

// exportURL is the path of an export's page.
func exportURL(id int64) string { return "/exports/" + strconv.FormatInt(id, 10) }
