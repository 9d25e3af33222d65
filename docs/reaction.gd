# a two-species reaction network at steady-state rates
input a, b
param k1 = 1, k2 = 0.5
output da = -k1 * a * b + k2 * b^2
output db = k1 * a * b - 2 * k2 * b^2
