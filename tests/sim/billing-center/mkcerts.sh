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
days=3650

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ca() { # name cn
	key "$1.key"
	openssl req -x509 -new -key "$1.key" -subj "/O=Kiosk test/CN=$2" -days $days -sha256 \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		-out "$1.pem"
}
leaf() { # name cn ca ext
	key "$1.key"
	openssl req -new -key "$1.key" -subj "/O=Kiosk test/CN=$2" -out "$1.csr"
	printf '%s\n' "$4" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days $days \
		-sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
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
chmod 644 ./*.pem ./*.pin pins
echo "certs: $dir"
