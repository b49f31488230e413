#include "counters/interrupt.h"

#include <signal.h>

#include <csignal>

namespace ctrbench {

namespace {

volatile std::sig_atomic_t interrupt_signal = 0;

void OnSignal(int signo) { interrupt_signal = signo; }

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool Interrupted() { return interrupt_signal != 0; }

}  // namespace ctrbench
