// cleanup_command.hpp — `synnet-test --cleanup`: removes what killed runs left
// behind (namespaces, interfaces, processes) and puts back interfaces that a
// killed `attach` had taken; prints one line per thing it did.
//
//   int status = run_cleanup();   // 0
#pragma once

namespace synnet {

int run_cleanup();

}  // namespace synnet
