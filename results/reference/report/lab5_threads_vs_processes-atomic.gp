set datafile missing 'nan'
set grid
set samples 400
set xtics rotate by 45 right
set xrange [-0.6:8-0.4]
set terminal pngcairo size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-throughput.png'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [23680.5:1.49162e+08]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: goodput, increments/s kept\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:26:27:28:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'goodput, increments/s kept'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-throughput.svg'
set ylabel "goodput, increments/s kept\nlog scale"
set logscale y
set yrange [23680.5:1.49162e+08]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: goodput, increments/s kept\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:26:27:28:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'goodput, increments/s kept'
unset multiplot
set terminal pngcairo size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-p99.png'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.079375:494.795]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: p99 service time (us)\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:5:6:7:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'p99 service time'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-p99.svg'
set ylabel "p99 service time (us)\nlog scale"
set logscale y
set yrange [0.079375:494.795]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: p99 service time (us)\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:5:6:7:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'p99 service time'
unset multiplot
set terminal pngcairo size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:9.77291]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: retries per 1,000 operations\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:8:9:10:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'retries per 1,000 operations'
unset multiplot
set terminal svg size 1400,750 noenhanced
set output 'lab5_threads_vs_processes-atomic-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:9.77291]
set lmargin at screen 0.150
set rmargin at screen 0.640
set multiplot title "lab5_threads_vs_processes / atomic: retries per 1,000 operations\nbars: the interval of the median over repetitions (min to max below 6)"
unset arrow
unset label
set tmargin at screen 0.9067
set bmargin at screen 0.3200
set key at screen 0.660, screen 0.9067 left top Left reverse samplen 2
set title ''
set xlabel ''
plot 'lab5_threads_vs_processes-atomic.dat' using 0:8:9:10:xtic(1) with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.3 title 'retries per 1,000 operations'
unset multiplot
