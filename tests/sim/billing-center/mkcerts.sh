#!/bin/sh
# Generates the test PKI into DIR (see certs.mk).  Idempotent: regenerates everything.
#   center-ca.pem          CA the kiosk trusts for the center (CURLOPT_CAINFO)
#   server.{pem,key}       the center (CN 127.0.0.1, SAN IP:127.0.0.1, DNS:localhost)
#   server-alt.{pem,key}   same CA and names, another key: only the pin tells them apart
#   kiosk-ca.pem           CA the center trusts for kiosk client certificates
#   client.{pem,key}       kiosk K0001;  client2.{pem,key} kiosk K0002
#   rogue-client.{pem,key} CN=K0001 signed by an unrelated CA (must be refused)
#   hmac-K0001.key         the kiosk's 256-bit signing key, hex;  hmac-keys: the center's table
#   server.pin server-alt.pin backup.pin   sha256//<base64>;  pins: "current;backup"
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077
# Fixed validity, not "from now": the suites run under system clocks from 2026 to 2030
# (tests/check/dates.sh), and a certificate made today is "not yet valid" under a clock set
# back a month.  openssl ca is the one Debian 12 command that takes both dates.
not_before=250101000000Z
not_after=450101000000Z
rm -rf ca-db && mkdir ca-db && : > ca-db/index.txt && echo 1000 > ca-db/serial
cat > ca-db/ca.cnf <<'CNF'
[ca]
default_ca = test_ca
[test_ca]
database = ca-db/index.txt
new_certs_dir = ca-db
serial = ca-db/serial
default_md = sha256
policy = any
unique_subject = no
email_in_dn = no
[any]
O = optional
CN = supplied
CNF

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { # name cn
	key "$1.key"
	openssl req -new -key "$1.key" -subj "/O=Kiosk test/CN=$2" -out "$1.csr"
	printf '%s\n' 'basicConstraints=critical,CA:TRUE' 'keyUsage=critical,keyCertSign,cRLSign' \
		'subjectKeyIdentifier=hash' > "$1.ext"
	openssl ca -batch -notext -config ca-db/ca.cnf -selfsign -keyfile "$1.key" -in "$1.csr" \
		-extfile "$1.ext" -startdate $not_before -enddate $not_after -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
leaf() { # name cn ca ext
	key "$1.key"
	openssl req -new -key "$1.key" -subj "/O=Kiosk test/CN=$2" -out "$1.csr"
	printf '%s\n' "$4" > "$1.ext"
	openssl ca -batch -notext -config ca-db/ca.cnf -cert "$3.pem" -keyfile "$3.key" -in "$1.csr" \
		-extfile "$1.ext" -startdate $not_before -enddate $not_after -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$1.ext"
}
pin() { # keyfile -> sha256//base64 of the DER SubjectPublicKeyInfo
	printf 'sha256//%s\n' "$(openssl pkey -in "$1" -pubout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64)"
}

server_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost'
client_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth'

ca center-ca "Test billing center CA"
ca kiosk-ca "Test kiosk CA"
ca rogue-ca "Unrelated CA"
leaf server 127.0.0.1 center-ca "$server_ext"
leaf server-alt 127.0.0.1 center-ca "$server_ext"
leaf client K0001 kiosk-ca "$client_ext"
leaf client2 K0002 kiosk-ca "$client_ext"
leaf rogue-client K0001 rogue-ca "$client_ext"
key backup.key

openssl rand -hex 32 > hmac-K0001.key
openssl rand -hex 32 > hmac-K0002.key
{
	echo "# DEVICE_ID KID KEY(hex)"
	echo "K0001 k1 $(cat hmac-K0001.key)"
	echo "K0002 k1 $(cat hmac-K0002.key)"
} > hmac-keys

pin server.key > server.pin
pin server-alt.key > server-alt.pin
pin backup.key > backup.pin
echo "$(cat server.pin);$(cat backup.pin)" > pins
rm -rf ca-db
chmod 644 ./*.pem ./*.pin pins
echo "certs: $dir"
