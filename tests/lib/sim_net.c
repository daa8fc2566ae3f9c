#include "tests/lib/sim_net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

int sim_listen(const char *prog, const char *hostport, char *ret_desc, size_t cap)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');
	if (!colon || (size_t)(colon - hostport) >= sizeof host)
		return -1;
	memcpy(host, hostport, (size_t)(colon - hostport));
	host[colon - hostport] = 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1)) };
	if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 4) != 0) {
		fprintf(stderr, "%s: ", prog);
		perror("listen");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	snprintf(ret_desc, cap, "%s:%u", host, ntohs(a.sin_port));
	return fd;
}

int sim_open_pty(const char *prog, int *ret_slave)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0) {
		fprintf(stderr, "%s: ", prog);
		perror("pty");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	const char *name = ptsname(fd);
	*ret_slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios tio;
	if (*ret_slave >= 0 && tcgetattr(*ret_slave, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(*ret_slave, TCSANOW, &tio);
	}
	printf("pty %s\n", name);
	return fd;
}
