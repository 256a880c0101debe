package auth

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/whmcsemu/whmcsemu/store"
)

func TestCheckAccess(t *testing.T) {
	open := store.Settings{}
	listed := store.Settings{AllowedIPs: []string{"10.0.0.1", "192.168.0.0/16", "2001:db8::/32"}, AccessKey: "k3y!"}
	for _, tc := range []struct {
		name     string
		settings store.Settings
		ip, key  string
		want     string
	}{
		{"no allow-list lets everyone in", open, "203.0.113.9", "", ""},
		{"listed address", listed, "10.0.0.1", "", ""},
		{"inside a listed range", listed, "192.168.44.5", "", ""},
		{"IPv6 range", listed, "2001:db8::7", "", ""},
		{"IPv4-mapped IPv6", listed, "::ffff:10.0.0.1", "", ""},
		{"a wrong key does not matter when listed", listed, "10.0.0.1", "nope", ""},
		{"not listed", listed, "203.0.113.9", "", "Invalid IP 203.0.113.9"},
		{"not listed, right key", listed, "203.0.113.9", "k3y!", ""},
		{"not listed, wrong key", listed, "203.0.113.9", "nope", "Invalid Access Key"},
		{"no key configured", store.Settings{AllowedIPs: []string{"10.0.0.1"}}, "203.0.113.9", "any", "Invalid IP 203.0.113.9"},
		{"garbage address", listed, "not-an-ip", "", "Invalid IP not-an-ip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := CheckAccess(tc.settings, tc.ip, tc.key)
			if tc.want == "" {
				assert.Nil(t, f)
				return
			}
			if assert.NotNil(t, f) {
				assert.Equal(t, tc.want, f.Message)
				assert.Equal(t, 403, f.Status)
			}
		})
	}
}

func TestBans(t *testing.T) {
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBans(BanPolicy{After: 3, Window: time.Minute, Duration: 10 * time.Minute})
	assert.False(t, b.Failed("a", t0))
	assert.False(t, b.Failed("a", t0.Add(50*time.Second)))
	assert.False(t, b.Failed("a", t0.Add(70*time.Second)), "the first failure left the window")
	assert.False(t, b.Banned("a", t0.Add(70*time.Second)))
	assert.True(t, b.Failed("a", t0.Add(80*time.Second)))
	assert.True(t, b.Banned("a", t0.Add(80*time.Second)))
	assert.False(t, b.Banned("b", t0.Add(80*time.Second)), "bans are per IP")
	assert.Equal(t, []Ban{{IP: "a", Until: t0.Add(80*time.Second + 10*time.Minute), Failures: 3}}, b.List(t0.Add(90*time.Second)))
	assert.False(t, b.Banned("a", t0.Add(80*time.Second+10*time.Minute)), "bans end")
	assert.Empty(t, b.List(t0.Add(time.Hour)))

	b.Failed("c", t0)
	b.Failed("c", t0)
	b.Failed("c", t0)
	assert.True(t, b.Lift("c"))
	assert.False(t, b.Banned("c", t0))
	assert.False(t, b.Lift("c"))

	off := NewBans(BanPolicy{})
	for range 100 {
		off.Failed("a", t0)
	}
	assert.False(t, off.Banned("a", t0))
}

func TestSecretsAndMD5(t *testing.T) {
	h, err := HashSecret("s3cret")
	assert.NoError(t, err)
	assert.True(t, IsHash(h))
	assert.True(t, CheckSecret(h, "s3cret"))
	assert.False(t, CheckSecret(h, "S3cret"))
	long := string(make([]byte, 100)) + "x"
	hl, err := HashSecret(long)
	assert.NoError(t, err)
	assert.True(t, CheckSecret(hl, long), "secrets over bcrypt's 72 bytes work")
	assert.False(t, CheckSecret(hl, long[:99]+"y"))
	assert.False(t, CheckNothing("anything"))
	assert.Equal(t, "bf7569f3d82dd6548f92cd66f20b138c", MD5Hex("demo-admin-password"))
	assert.True(t, isMD5Hex("bf7569f3d82dd6548f92cd66f20b138c"))
	assert.False(t, isMD5Hex("bf7569f3d82dd6548f92cd66f20b138"))
	assert.False(t, isMD5Hex("zf7569f3d82dd6548f92cd66f20b138c"))
	assert.False(t, IsHash("plain"))
}

func TestCheckSecretRemembered(t *testing.T) {
	h, err := HashSecret("pw")
	assert.NoError(t, err)
	assert.True(t, CheckSecretRemembered(h, "pw"))
	assert.True(t, CheckSecretRemembered(h, "pw"), "remembered")
	assert.False(t, CheckSecretRemembered(h, "pW"))
	other, err := HashSecret("new")
	assert.NoError(t, err)
	assert.False(t, CheckSecretRemembered(other, "pw"), "a new hash forgets the old password")
}
