package units

import "github.com/ravao/ravao"

// DemoVersion is the version of the demo units.
const DemoVersion = "demo"

// Demo returns a small sample of real units for `ravao demo`: Hà Nam
// province (35) as it was before the 2025 reform, its six districts and a
// few communes of each, with their national codes. It is written by hand
// so that the demo works without the national list.
func Demo() []ravao.Unit {
	out := []ravao.Unit{demoProvince.unit("", 1)}
	for _, d := range demoDistricts {
		out = append(out, d.unit(demoProvince.code, 2))
		for _, c := range d.communes {
			out = append(out, c.unit(d.code, 3))
		}
	}
	return out
}

var demoProvince = demoUnit{"35", "Hà Nam", "Tỉnh Hà Nam", "Ha Nam", "Ha Nam Province"}

type demoUnit struct{ code, name, full, en, fullEn string }

// unit makes the demo unit at level under parent.
func (d demoUnit) unit(parent string, level int) ravao.Unit {
	return ravao.Unit{Version: DemoVersion, Code: d.code, ParentCode: parent, Level: level,
		Name: d.name, FullName: d.full, NameEn: d.en, FullNameEn: d.fullEn}
}

type demoDistrict struct {
	demoUnit
	communes []demoUnit
}

var demoDistricts = []demoDistrict{
	{demoUnit{"347", "Phủ Lý", "Thành phố Phủ Lý", "Phu Ly", "Phu Ly City"}, []demoUnit{
		{"13285", "Quang Trung", "Phường Quang Trung", "Quang Trung", "Quang Trung Ward"},
		{"13291", "Lê Hồng Phong", "Phường Lê Hồng Phong", "Le Hong Phong", "Le Hong Phong Ward"},
		{"13294", "Châu Cầu", "Phường Châu Cầu", "Chau Cau", "Chau Cau Ward"},
	}},
	{demoUnit{"349", "Duy Tiên", "Thị xã Duy Tiên", "Duy Tien", "Duy Tien Town"}, []demoUnit{
		{"13321", "Đồng Văn", "Phường Đồng Văn", "Dong Van", "Dong Van Ward"},
		{"13324", "Hòa Mạc", "Phường Hòa Mạc", "Hoa Mac", "Hoa Mac Ward"},
		{"13327", "Mộc Hoàn", "Xã Mộc Hoàn", "Moc Hoan", "Moc Hoan Commune"},
	}},
	{demoUnit{"350", "Kim Bảng", "Thị xã Kim Bảng", "Kim Bang", "Kim Bang Town"}, []demoUnit{
		{"13384", "Quế", "Phường Quế", "Que", "Que Ward"},
		{"13387", "Nguyễn Úy", "Xã Nguyễn Úy", "Nguyen Uy", "Nguyen Uy Commune"},
		{"13390", "Đại Cương", "Phường Đại Cương", "Dai Cuong", "Dai Cuong Ward"},
	}},
	{demoUnit{"351", "Thanh Liêm", "Huyện Thanh Liêm", "Thanh Liem", "Thanh Liem District"}, []demoUnit{
		{"13441", "Kiện Khê", "Thị trấn Kiện Khê", "Kien Khe", "Kien Khe Township"},
		{"13450", "Liêm Phong", "Xã Liêm Phong", "Liem Phong", "Liem Phong Commune"},
		{"13453", "Thanh Hà", "Xã Thanh Hà", "Thanh Ha", "Thanh Ha Commune"},
	}},
	{demoUnit{"352", "Bình Lục", "Huyện Bình Lục", "Binh Luc", "Binh Luc District"}, []demoUnit{
		{"13501", "Bình Mỹ", "Thị trấn Bình Mỹ", "Binh My", "Binh My Township"},
		{"13504", "Bình Nghĩa", "Xã Bình Nghĩa", "Binh Nghia", "Binh Nghia Commune"},
		{"13510", "Tràng An", "Xã Tràng An", "Trang An", "Trang An Commune"},
	}},
	{demoUnit{"353", "Lý Nhân", "Huyện Lý Nhân", "Ly Nhan", "Ly Nhan District"}, []demoUnit{
		{"13567", "Hợp Lý", "Xã Hợp Lý", "Hop Ly", "Hop Ly Commune"},
		{"13570", "Nguyên Lý", "Xã Nguyên Lý", "Nguyen Ly", "Nguyen Ly Commune"},
		{"13573", "Chính Lý", "Xã Chính Lý", "Chinh Ly", "Chinh Ly Commune"},
	}},
}
