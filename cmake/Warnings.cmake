# Warnings are on for our own targets only (hl_set_warnings), never for system headers. -Wshadow=local is GCC's
# spelling; clang (the fuzz build) has no such option and would warn about it on every file.
function(hl_set_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wnon-virtual-dtor>
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-Wshadow=local>)
endfunction()
