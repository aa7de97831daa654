package server

import (
	"github.com/ravao/ravao"
	"github.com/ravao/ravao/places"
	"github.com/ravao/ravao/questions"
	"github.com/ravao/ravao/visitors"
)

// The sample data of the visitor pages, for the test that renders every
// template in both languages.
func init() {
	fail := formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{
		"full_name": "Họ và tên không hợp lệ.", "phone": "Số điện thoại không hợp lệ.", "unit": "Cần chọn.", "q.symptoms": "Cần trả lời.", "consent": "Cần đồng ý.",
	}, Other: []string{"Khác"}}
	l := places.Landing{
		Venue:      ravao.Venue{Name: "Xưởng may số 1", Status: ravao.VenueApproved, UnitPath: "35/347/13321/"},
		Checkpoint: ravao.Checkpoint{Name: "Cổng chính"}, Place: "Phường Quang Trung, Tỉnh Hà Nam", Code: "ABC",
	}
	picker := unitPicker{Province: "35", Provinces: []unitChoice{{"35", "Tỉnh Hà Nam"}},
		Communes: []unitGroup{{Name: "Thành phố Phủ Lý", Units: []unitChoice{{"13321", "Phường Quang Trung"}}}}}
	form := visitorForm{FullName: "Nguyễn Văn An", Phone: "0912 000 111", BirthYear: "1990", Sex: "m", Unit: "13321"}
	samples["consent.html"] = func() *pageData {
		return &pageData{Title: "consent.title", Path: "/q/ABC/consent", Data: consentData{Landing: l, Failure: fail}}
	}
	samples["declare.html"] = func() *pageData {
		return &pageData{Title: "declare.title", Path: "/q/ABC/declare", Data: &declareData{
			Landing: l, Action: "/q/ABC/declare", Profile: true, Form: form, Picker: picker, Sexes: sexChoices(),
			Questions: questions.Default().Localised("vi"), Answers: questions.Answers{"symptoms": {"cough"}, "contact": {"no"}},
			Challenge: "challenge", Failure: fail,
		}}
	}
	samples["pass.html"] = func() *pageData {
		return &pageData{Title: "pass.title", Path: "/pass/9", Data: passData{
			ID: 9, Venue: "Xưởng may số 1", Checkpoint: "Cổng chính", In: "08:00 02/02/2026", Out: "09:00 02/02/2026",
			Date: "02/02/2026", Red: true, With: 1, Hour: 40, Minute: 0, Second: 59,
		}}
	}
	samples["me.html"] = func() *pageData {
		return &pageData{Title: "me.title", Path: "/me", Device: "token", Data: &meData{
			Known: true, Added: true, Form: form, Picker: picker, Sexes: sexChoices(), Failure: fail,
			Visits:     []visitRow{{ID: 9, Venue: "Xưởng may số 1", Checkpoint: "Cổng chính", In: "08:00 02/02/2026", Red: true}},
			Dependants: []visitors.Dependant{{ID: 3, Name: "Ng*** V** B**"}},
		}}
	}
	samples["me_qr.html"] = func() *pageData {
		return &pageData{Title: "me_qr.title", Path: "/me/qr", Data: meQRData{
			Image: "data:image/png;base64,iVBORw0KGgo=", Expires: "10:05:00 02/02/2026", Refresh: 270,
		}}
	}
	samples["me_data.html"] = func() *pageData {
		return &pageData{Title: "my_data.title", Path: "/me/data", Device: "token", Data: myDataData{
			Person: visitors.PersonData{FullName: "Nguyễn Văn An", Phone: "0912000111", IDNumber: "001090000001", BirthYear: 1990,
				Sex: "m", Place: "Phường Quang Trung, Tỉnh Hà Nam", ConsentVersion: "1", ConsentBasis: "consent", Address: "12 Lê Lợi"},
			Gate: dataGate{Enabled: true, Proven: true, Requests: []myRequestRow{{Kind: "dsr_kind.delete", Status: "dsr_status.open", Due: "03/02/2026"}}},
			Form: visitorForm{FullName: "Nguyễn Văn An", BirthYear: "1990", Sex: "m", Unit: "13321"}, Sexes: sexChoices(),
			Picker:    unitPicker{Province: "35", Provinces: []unitChoice{{Code: "35", Name: "Hà Nam"}}},
			Corrected: true, Queued: true,
			Sex: "sex.m", Dependants: []visitors.PersonData{{FullName: "Nguyễn Văn Bình", BirthYear: 2019}},
			Declarations: []declarationRow{{At: "08:00 02/02/2026", Risk: true, ByStaff: true,
				Answers: []answerRow{{Question: "Triệu chứng", Answer: "Ho"}}}},
			Visits:  []visitRow{{ID: 9, Venue: "Xưởng may số 1", Checkpoint: "Cổng chính", In: "08:00 02/02/2026", Red: true}},
			Failure: formFailure{Status: 422, Message: "Khác", Fields: map[string]string{"confirm": "Cần đánh dấu."}},
		}}
	}
	samples["me_cards.html"] = func() *pageData {
		return &pageData{Title: "my_cards.title", Path: "/me/cards", DeviceUnknown: true, Data: &meCardsData{
			People:  []cardChoice{{ID: 1, Name: "Nguyễn V*** A", Self: true, Serial: 2}, {ID: 2, Name: "Nguyễn V*** B"}},
			Revoked: true, Failure: formFailure{Status: 422, Message: "Khác", Fields: map[string]string{"person": "Chọn."}},
		}}
	}
}
