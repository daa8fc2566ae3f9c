/* A simulator's control socket, client end: see knob_client.h. */
#include "tests/hooks/knob_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int knob_client_send(const char *addr, const char *knobs, char *err, int errcap)
{
	char host[64];
	const char *colon = strrchr(addr, ':');
	if (!addr[0] || !colon || (size_t)(colon - addr) >= sizeof host) {
		snprintf(err, (size_t)errcap, "no PIN-pad simulator control address (pinpad.control)");
		return -1;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1)) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, (size_t)errcap, "cannot reach the PIN-pad simulator at %s", addr);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char line[600];
	int n = snprintf(line, sizeof line, "%s\n", knobs);
	char reply[256] = "";
	ssize_t got = 0;
	if (write(fd, line, (size_t)n) == n)
		got = read(fd, reply, sizeof reply - 1);
	close(fd);
	reply[got > 0 ? got : 0] = '\0';
	reply[strcspn(reply, "\r\n")] = '\0';
	if (strcmp(reply, "ok") != 0) {
		snprintf(err, (size_t)errcap, "simulator answered '%s'", reply);
		return -1;
	}
	return 0;
}
