package server

func init() {
	rows := []dsrRow{
		{ID: 4821, Kind: "dsr_kind.delete", Status: "dsr_status.open", Created: "08:00 01/07/2026", Due: "23:59 03/07/2026", Overdue: true},
		{ID: 4822, Kind: "dsr_kind.correct", Status: "dsr_status.done", Created: "09:00 01/07/2026", Due: "23:59 03/07/2026"},
	}
	samples["dsr_list.html"] = func() *pageData {
		return &pageData{Title: "dsr.title", Path: "/dpo/requests", Data: dsrListData{Status: "open", Rows: rows}}
	}
	samples["dsr_show.html"] = func() *pageData {
		return &pageData{Title: "dsr.request_title", Path: "/dpo/requests/4821", Data: &dsrShowData{
			Row: rows[0], Source: "dsr_source.withdraw", Reason: "Ca bệnh đang điều tra", Fields: "full_name", Protected: true,
			Events:  []dsrEventRow{{At: "08:00 01/07/2026", Action: "dsr_event.created", Who: "dsr.by_person"}, {At: "08:00 01/07/2026", Action: "dsr_event.queued", Who: "dsr.by_person"}},
			Failure: formFailure{Status: 400, Message: "Một số thông tin chưa hợp lệ.", Fields: map[string]string{"reason": "Cần ghi rõ lý do."}},
		}}
	}
}
