package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/ravao/ravao"
	"github.com/ravao/ravao/progress"
)

// demoTaxCodes are the tax codes of the demo's businesses, by
// organisation: the roster below matches them.
var demoTaxCodes = map[string]string{
	"Công ty TNHH May mặc Đồng Văn": "0700123456",
	"Công ty CP Xe khách Hà Nam":    "0700234567",
}

// SeedRoster uploads the province's list of places that must register,
// as an administrator would: two businesses matched by tax code, the
// pending café by its phone, the market and the school proposed by name
// for a person to confirm, and three places still missing, for the
// commune to visit.
func SeedRoster(ctx context.Context, prog *progress.Service, d *Data) error {
	rows := []string{
		"Tên cơ sở,Địa chỉ,Mã đơn vị,Ngành,Mã số thuế,Số điện thoại",
		"Công ty TNHH May mặc Đồng Văn,\"Lô B2, đường D1\",13321,industry,0700123456,",
		"Công ty CP Xe khách Hà Nam (bến xe),Đường Lê Công Thanh,13291,transport,0700234567,",
		"Quán cà phê Góc Phố,12 phố Biên Hòa," + d.Commune.Code + ",commerce,,0977000111",
		"Chợ Bầu,Phố Biên Hòa,13285,commerce,,",
		"Trường THPT chuyên Biên Hoà,Đường Lý Thường Kiệt,13294,education,,",
		"Nhà thuốc An Khang,25 phố Biên Hòa," + d.Commune.Code + ",health,,0912000333",
		"Cửa hàng tạp hóa Minh Anh,40 đường Lê Hoàn," + d.Commune.Code + ",commerce,,",
		"Trường Tiểu học Lê Hồng Phong,Phố Lê Hồng Phong,13294,education,,",
	}
	admin := &ravao.Principal{User: ravao.User{Login: "demo"}, Roles: []ravao.RoleAssignment{{Role: ravao.RoleAdmin}}}
	res, err := prog.UploadRoster(ctx, admin, d.Province.Code, "", "danh-sach-co-so.csv", strings.NewReader(strings.Join(rows, "\n")+"\n"))
	if err != nil {
		return fmt.Errorf("demo roster: %w", err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("demo roster: line %d: %v", res.Errors[0].Line, res.Errors[0].Fields)
	}
	return nil
}
