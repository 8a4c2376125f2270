# Compiler settings shared by every Loveless target: call loveless_target_settings(<target>).
add_library(loveless_build_settings INTERFACE)
add_library(loveless::build_settings ALIAS loveless_build_settings)
target_compile_options(loveless_build_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  $<$<BOOL:${LOVELESS_WERROR}>:-Werror>)

if(LOVELESS_SANITIZE)
  target_compile_options(loveless_build_settings INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(loveless_build_settings INTERFACE -fsanitize=address,undefined)
endif()

function(loveless_target_settings target)
  target_link_libraries(${target} PRIVATE loveless::build_settings)
endfunction()
