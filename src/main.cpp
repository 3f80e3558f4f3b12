#include <iostream>

#include "common/version.hpp"

int main() {
  std::cout << "gallery " << gallery::kVersion << "\n";
  return 0;
}
