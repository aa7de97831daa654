package server

import (
	"time"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/poster"
)

// The sample data of the places pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"name": "Tên không hợp lệ.", "reason": "Cần ghi rõ lý do.", "tax_code": "Mã số thuế không hợp lệ."}, Other: []string{"Khác"}}
	v := places.VenueView{
		Venue: ravao.Venue{ID: 7, Name: "Xưởng may số 1", Type: ravao.VenueZoneBusiness, Sector: ravao.SectorIndustry,
			Status: ravao.VenueSuspended, StatusReason: "Áp phích bị làm giả", Zone: "KCN Đồng Văn", Capacity: 300},
		Organisation: ravao.Organisation{ID: 3, Name: "Công ty May Hà Nam", TaxCode: "0700123456"},
		Place:        "Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam",
		Checkpoints: []places.CheckpointView{
			{Checkpoint: ravao.Checkpoint{ID: 1, Name: "Cổng chính", Kind: ravao.CheckpointGate}, Code: "ABC123", URL: "http://x/q/ABC123"},
			{Checkpoint: ravao.Checkpoint{ID: 2, Name: "Xe 90B-123.45", Kind: ravao.CheckpointVehicle, Plate: "90B-123.45", Route: "Phủ Lý – Hà Nội", Revoked: true}},
		},
	}
	samples["register.html"] = func() *pageData {
		return &pageData{Title: "register.title", Path: "/register", Data: &registerData{
			Step: 2, Challenge: "secret", Failure: fail,
			Picker: unitPicker{Province: "35", Provinces: []unitChoice{{"35", "Tỉnh Hà Nam"}},
				Communes: []unitGroup{{Units: []unitChoice{{"1", "Xã A"}}}, {Name: "Thành phố Phủ Lý", Units: []unitChoice{{"13321", "Phường Quang Trung"}}}}},
			Types: venueTypeChoices(), Sectors: sectorChoices(),
			Form: registerForm{Name: "Quán Bà Hai", TaxCode: "0700123456", Type: "restaurant", Unit: "13321", ContactPhone: "0912000111"},
		}}
	}
	samples["outbox.html"] = func() *pageData {
		return &pageData{Title: "outbox.title", Path: "/dev/outbox", Data: []outboxRow{{To: "091****111", Text: "Ravao: ma 123456", At: "01/02/2026 10:00:00"}}}
	}
	samples["landing.html"] = func() *pageData {
		return &pageData{Title: "landing.title", Path: "/q/ABC", Data: landingData{Landing: places.Landing{
			Venue: ravao.Venue{Name: "Xe khách", Status: ravao.VenuePending}, Organisation: ravao.Organisation{Name: "Vận tải Hà Nam"},
			Checkpoint: ravao.Checkpoint{Name: "Xe 90B", Kind: ravao.CheckpointVehicle, Plate: "90B-123.45", Route: "Phủ Lý – Hà Nội"},
			Place:      "Tỉnh Hà Nam", Code: "ABC",
		}}}
	}
	samples["invite.html"] = func() *pageData {
		return &pageData{Title: "invite.title", Path: "/invite/X", Data: &inviteData{Code: "X", Organisation: "Công ty May", Checkpoints: []string{"Cổng chính"}, Login: "bao.ve", Failure: fail}}
	}
	samples["places.html"] = func() *pageData {
		return &pageData{Title: "places.title", Path: "/places", User: &ravao.Principal{}, Data: placesData{
			Rows:  []placeRow{{ID: 7, Name: "Xưởng may số 1", Address: "1 Lê Lợi", Unit: "Phường Quang Trung", Type: ravao.VenueBusiness, Status: ravao.VenuePending}},
			Total: 1, Status: "pending", Statuses: statusChoices(), Types: venueTypeChoices(), Sectors: sectorChoices(),
			NextURL: "/places?after=7", CanImport: true, Organisations: []int64{3},
		}}
	}
	samples["place.html"] = func() *pageData {
		return &pageData{Title: "place.title", Path: "/places/7", User: &ravao.Principal{}, Data: &placeData{
			Venue: v, ContactName: "Trần Thị Hai", ContactPhone: "0912000111", CanManage: true, CanApprove: true,
			Kinds: checkpointKindChoices(), Done: "place.done_revoke", Failed: "reinstate", Failure: fail, Reason: "x",
			Invite: &inviteLink{URL: "http://x/invite/ABC", Expires: "10:00 08/02/2026"},
		}}
	}
	samples["poster.html"] = func() *pageData {
		return &pageData{Title: "poster.title", Path: "/places/7/poster", User: &ravao.Principal{}, Data: posterData{
			VenueID: 7, Venue: "Xưởng may số 1", Lang: "vi",
			Posters: []posterPreview{{CheckpointID: 1, Venue: "Xưởng may số 1", Address: "Tỉnh Hà Nam", Checkpoint: "Cổng chính", Code: "ABC", Issued: time.Now().Format("02/01/2006")}},
			Words:   poster.Wording{Instructions: "Quét mã", InstructionsEN: "Scan", Issued: "Ngày cấp"},
		}}
	}
	samples["import.html"] = func() *pageData {
		return &pageData{Title: "import.title", Path: "/places/import", User: &ravao.Principal{}, Data: &importData{
			ValidOnly: true, Failure: fail, Result: &importResult{
				Written: true, Rows: 3, PostersURL: "/api/v1/imports/9/posters.pdf?size=A4",
				Created: []places.ImportedVenue{{Line: 2, VenueID: 8, Name: "Cơ sở chính", Checkpoints: 2}},
				Errors:  []importErrorRow{{Line: 3, Column: "Loại", Message: "Loại địa điểm không hợp lệ."}},
			},
		}}
	}
}
